using InProc.Execution;

namespace InProc.Store;

/// <summary>
/// The embedded default store: active jobs in a striped index, finished ones in a fixed ring of compact
/// records, dead letters in a bounded list. Every call completes synchronously; a transition is the
/// envelope's compare-and-set plus, when it ends the job, one ring write. <c>expectedActive</c> (about how many
/// jobs are active at once: the queues' capacities and workers) sizes the active index.
/// </summary>
internal sealed class MemoryJobStore(int retention, TimeSpan retentionPeriod, int deadLetterCapacity, int expectedActive = 0) : IJobStore
{
    private static readonly ValueTask<bool> True = new(true);
    private static readonly ValueTask<bool> False = new(false);

    private readonly ActiveIndex _active = new(expectedActive);
    private readonly FinishedRing _finished = new(retention, retentionPeriod);
    private readonly DeadLetterList _deadLetters = new(deadLetterCapacity);

    public int Count => _active.Count + _finished.Count;

    /// <summary>The store <paramref name="options"/> describe: retention, dead-letter capacity, and an index sized for the queues.</summary>
    public static MemoryJobStore For(InProcOptions options)
    {
        var expectedActive = options.Queues.Sum(q => (long)q.Capacity + q.Workers);
        return new MemoryJobStore(options.FinishedJobRetention, options.FinishedJobRetentionPeriod, options.DeadLetterCapacity, (int)Math.Min(expectedActive, int.MaxValue));
    }

    public ValueTask AddAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        _active.Add(envelope);
        return ValueTask.CompletedTask;
    }

    public void Forget(Envelope envelope) => _active.Remove(envelope);

    public ValueTask<bool> TransitionAsync(Envelope envelope, JobTransition transition)
    {
        if (!envelope.TryTransition(transition.From, transition.FromAttempt, transition.To, transition.ToAttempt))
        {
            return False;
        }

        if (transition.IsTerminal)
        {
            // The record first, then out of the index: a reader in between still finds the job.
            envelope.FinishedSlot = _finished.Add(envelope);
            _active.Remove(envelope);
            if (transition.To == JobState.Cancelled)
            {
                envelope.ReleaseMessage();
            }
        }
        else if (transition.From == JobState.Failed)
        {
            // A dead letter's re-run: active again, and its old record must not show as a second job.
            _active.Add(envelope);
            _finished.Retire(envelope.Id, envelope.FinishedSlot);
        }

        return True;
    }

    public Envelope? FindActive(JobId id) => _active.Find(id) ?? _deadLetters.Find(id)?.Envelope;

    public JobSnapshot? Find(JobId id, DateTimeOffset now)
    {
        if (_active.Find(id) is { } envelope)
        {
            return Snapshots.Of(envelope);
        }

        // A dead letter outlives its finished record: keep it visible for as long as it can be re-run.
        return _finished.Find(id, now) ?? (_deadLetters.Find(id) is { } item ? Snapshots.Of(item.Letter, item.Envelope) : null);
    }

    public JobDetail? FindDetail(JobId id, DateTimeOffset now)
    {
        if (_active.Find(id) is { } envelope)
        {
            return Snapshots.DetailOf(envelope);
        }

        // A dead letter's message is kept for its re-run; prefer it to the finished record, which keeps none.
        if (_deadLetters.Find(id) is { } item)
        {
            return Snapshots.DetailOf(item.Letter, item.Envelope);
        }

        return _finished.FindDetail(id, now);
    }

    public JobPage Query(JobQuery query, DateTimeOffset now)
    {
        bool Matches(JobState state, string queue) =>
            (query.State is null || query.State == state) && (query.Queue is null || string.Equals(query.Queue, queue, StringComparison.Ordinal));

        var live = new List<Envelope>();
        _active.CopyTo(live, e => Matches(e.State, e.Registration.QueueName));
        var all = new List<JobSnapshot>(live.Count);
        foreach (var envelope in live)
        {
            all.Add(Snapshots.Of(envelope));
        }

        var finishedFrom = all.Count;
        _finished.CopyTo(all, Matches, now);
        if (query.State is null or JobState.Failed)
        {
            var seen = new HashSet<JobId>();
            for (var i = finishedFrom; i < all.Count; i++)
            {
                seen.Add(all[i].Id);
            }

            foreach (var letter in _deadLetters.Snapshot())
            {
                if (!seen.Contains(letter.Id) && _deadLetters.Find(letter.Id) is { } item && Matches(JobState.Failed, letter.Queue))
                {
                    all.Add(Snapshots.Of(item.Letter, item.Envelope));
                }
            }
        }

        all.Sort(query.OldestFirst ? static (a, b) => a.Id.CompareTo(b.Id) : static (a, b) => b.Id.CompareTo(a.Id));
        var page = all.Skip(query.Skip).Take(query.Take).ToArray();
        return new JobPage(page, all.Count, query.Skip, query.Take);
    }

    public DeadLetter? AddDeadLetter(Envelope envelope, DeadLetter letter) => _deadLetters.Add(envelope, letter);

    public Envelope? TakeDeadLetter(JobId id) => _deadLetters.Take(id);

    public IReadOnlyList<DeadLetter> GetDeadLetters() => _deadLetters.Snapshot();

    public int PurgeDeadLetters() => _deadLetters.Purge();

    /// <summary>Purges the dead letters and reports which jobs they were.</summary>
    public int PurgeDeadLetters(List<JobId> purged) => _deadLetters.Purge(purged);
}
