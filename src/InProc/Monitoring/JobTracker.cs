using System.Diagnostics;
using InProc.Execution;

namespace InProc.Monitoring;

/// <summary>
/// The one place every job state change goes through, and the id → job index behind <see cref="IJobMonitor.GetJob"/>.
/// </summary>
/// <remarks>
/// The index is striped (a lock and a <see cref="Dictionary{TKey, TValue}"/> per stripe) rather than a
/// ConcurrentDictionary, whose node per entry would be a second allocation on every enqueue. Finished jobs sit
/// in a fixed ring, so memory is bounded by <see cref="InProcOptions.FinishedJobRetention"/> however long the
/// application runs.
/// </remarks>
internal sealed class JobTracker
{
    private const int StripeCount = 32; // a power of two: the stripe is picked by masking the hash
    private const int MinTrimCapacity = 4_096; // per stripe: 32 × 4,096 slots (~4.7 MB) is the most an idle index keeps

    private readonly Stripe[] _stripes;
    private readonly TimeProvider _time;
    private readonly TimeSpan _retentionPeriod;
    private readonly Envelope?[] _finished;
    private readonly object _finishedLock = new();
    private int _finishedHead;
    private int _finishedCount;

    public JobTracker(TimeProvider time, int retention, TimeSpan retentionPeriod)
    {
        _time = time;
        _retentionPeriod = retentionPeriod;
        _finished = new Envelope?[Math.Max(retention, 0)];
        _stripes = new Stripe[StripeCount];
        for (var i = 0; i < _stripes.Length; i++)
        {
            _stripes[i] = new Stripe();
        }
    }

    /// <summary>
    /// Raised after every state change, on the thread that made it. The seam for observers of job life (a durable
    /// journal, tests); it must be cheap and must not throw.
    /// </summary>
    public event Action<Envelope>? StateChanged;

    /// <summary>Jobs known now: active ones and retained finished ones.</summary>
    public int Count
    {
        get
        {
            var count = 0;
            foreach (var stripe in _stripes)
            {
                lock (stripe.Lock)
                {
                    count += stripe.Map.Count;
                }
            }

            return count;
        }
    }

    public Envelope? Find(JobId id)
    {
        var stripe = StripeOf(id);
        Envelope? envelope;
        lock (stripe.Lock)
        {
            stripe.Map.TryGetValue(id, out envelope);
        }

        // A record past the retention period is forgotten even if no later job has pushed it out of the ring yet.
        if (envelope?.FinishedAt is { } finishedAt && _time.GetUtcNow() - finishedAt > _retentionPeriod)
        {
            return null;
        }

        return envelope;
    }

    /// <summary>Every job known now, in no order: a copy taken stripe by stripe, without retention-expired records.</summary>
    public List<Envelope> All()
    {
        var all = new List<Envelope>();
        foreach (var stripe in _stripes)
        {
            lock (stripe.Lock)
            {
                all.AddRange(stripe.Map.Values);
            }
        }

        var now = _time.GetUtcNow();
        all.RemoveAll(e => e.FinishedAt is { } finishedAt && now - finishedAt > _retentionPeriod);
        return all;
    }

    public void Enqueued(Envelope envelope)
    {
        envelope.DueAt = null;
        envelope.SetState(JobState.Enqueued);
        Index(envelope);
        Changed(envelope);
    }

    public void Scheduled(Envelope envelope, DateTimeOffset dueAt)
    {
        envelope.DueAt = dueAt;
        envelope.SetState(JobState.Scheduled);
        Index(envelope);
        Changed(envelope);
    }

    /// <summary>
    /// Removes a job's record: one that never got into its queue (a full queue that rejected it, a cancelled wait), or a
    /// finished one pushed out of the retention ring.
    /// </summary>
    public void Forget(Envelope envelope)
    {
        var stripe = StripeOf(envelope.Id);
        lock (stripe.Lock)
        {
            var map = stripe.Map;
            map.Remove(envelope.Id);

            // A dictionary keeps the capacity of its largest size, so a drained backlog of a million jobs would keep
            // ~40 MB of empty index for the life of the process (bench/README.md, scenario 5). Give it back once a
            // stripe is under a quarter full, but keep MinTrimCapacity: bursts of up to ~130,000 jobs in flight then
            // never trim, and never pay to grow the index again on the next burst. The rehash costs O(count) and the
            // capacity must grow fourfold before the next one, so it is O(1) amortized.
            var capacity = map.EnsureCapacity(0);
            if (capacity > MinTrimCapacity && map.Count < capacity / 4)
            {
                map.TrimExcess(Math.Max(map.Count, MinTrimCapacity));
            }
        }
    }

    /// <summary>A scheduled job or a waiting retry became due: back to <see cref="JobState.Enqueued"/>, unless cancelled meanwhile.</summary>
    public bool TryMakeDue(Envelope envelope)
    {
        if (envelope.TryTransition(JobState.Scheduled, JobState.Enqueued) || envelope.TryTransition(JobState.Retrying, JobState.Enqueued))
        {
            envelope.DueAt = null;
            Changed(envelope);
            return true;
        }

        return false;
    }

    public bool TryStart(Envelope envelope)
    {
        if (!envelope.TryTransition(JobState.Enqueued, JobState.Running))
        {
            return false;
        }

        envelope.StartedAt = _time.GetUtcNow();
        Changed(envelope);
        return true;
    }

    public void Succeeded(Envelope envelope)
    {
        if (envelope.TryTransition(JobState.Running, JobState.Succeeded))
        {
            Finish(envelope);
        }
    }

    /// <summary>
    /// Moves a failed running job to <see cref="JobState.Retrying"/> and hands it to <paramref name="schedule"/>
    /// before anyone is told: an observer that sees Retrying can rely on the retry being on the timer already.
    /// False when the job is no longer running (abandoned by the shutdown) or <paramref name="schedule"/> refused it.
    /// </summary>
    public bool TryRetrying(Envelope envelope, Exception error, DateTimeOffset dueAt, Func<Envelope, bool> schedule)
    {
        envelope.Error = error;
        envelope.DueAt = dueAt;
        if (!envelope.TryTransition(JobState.Running, JobState.Retrying))
        {
            envelope.DueAt = null;
            return false;
        }

        envelope.Attempt++;
        if (!schedule(envelope))
        {
            return false;
        }

        Changed(envelope);
        return true;
    }

    public bool TryFail(Envelope envelope, Exception error)
    {
        envelope.Error = error;
        if (!envelope.TryTransition(JobState.Running, JobState.Failed))
        {
            return false;
        }

        Finish(envelope);
        return true;
    }

    /// <summary>Cancels a job that has not started.</summary>
    public bool TryCancel(Envelope envelope)
    {
        if (envelope.TryTransition(JobState.Enqueued, JobState.Cancelled)
            || envelope.TryTransition(JobState.Scheduled, JobState.Cancelled)
            || envelope.TryTransition(JobState.Retrying, JobState.Cancelled))
        {
            envelope.DueAt = null;
            Finish(envelope);
            return true;
        }

        return false;
    }

    /// <summary>Marks a job that will not finish. Exactly one caller wins for each job.</summary>
    public bool TryAbandon(Envelope envelope, out JobState previous)
    {
        while (true)
        {
            previous = envelope.State;
            if (previous is JobState.Succeeded or JobState.Failed or JobState.Cancelled or JobState.Abandoned)
            {
                return false;
            }

            if (envelope.TryTransition(previous, JobState.Abandoned))
            {
                envelope.DueAt = null;
                Finish(envelope);
                return true;
            }
        }
    }

    /// <summary>A dead letter runs again: fresh attempts, the same id.</summary>
    public void Requeued(Envelope envelope)
    {
        envelope.Attempt = 1;
        envelope.Error = null;
        envelope.StartedAt = null;
        envelope.FinishedAt = null;
        envelope.Progress = null;
        envelope.ProgressStatus = null;
        Enqueued(envelope);
    }

    private void Changed(Envelope envelope) => StateChanged?.Invoke(envelope);

    private void Index(Envelope envelope)
    {
        var stripe = StripeOf(envelope.Id);
        lock (stripe.Lock)
        {
            stripe.Map[envelope.Id] = envelope;
        }
    }

    private void Finish(Envelope envelope)
    {
        var now = _time.GetUtcNow();
        envelope.FinishedAt = now;
        Changed(envelope);
        if (_finished.Length == 0)
        {
            Forget(envelope);
            return;
        }

        Envelope? evicted;
        lock (_finishedLock)
        {
            var tail = (_finishedHead + _finishedCount) % _finished.Length;
            if (_finishedCount == _finished.Length)
            {
                evicted = _finished[_finishedHead];
                _finished[_finishedHead] = envelope;
                _finishedHead = (_finishedHead + 1) % _finished.Length;
            }
            else
            {
                evicted = null;
                _finished[tail] = envelope;
                _finishedCount++;
            }

            AssertInvariants();
        }

        // Outside the ring's lock: the index has its own stripes. A record that was re-run since (a requeued dead
        // letter) is active again and must stay.
        if (evicted is not null && evicted.FinishedAt is not null && evicted.State is JobState.Succeeded or JobState.Failed or JobState.Cancelled or JobState.Abandoned)
        {
            Forget(evicted);
        }
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_finishedCount >= 0 && _finishedCount <= _finished.Length, "ring count within capacity");
        Debug.Assert(_finishedHead >= 0 && _finishedHead < Math.Max(_finished.Length, 1), "ring head within bounds");
    }

    private Stripe StripeOf(JobId id) => _stripes[id.GetHashCode() & (StripeCount - 1)];

    private sealed class Stripe
    {
        public readonly object Lock = new();
        public readonly Dictionary<JobId, Envelope> Map = [];
    }
}
