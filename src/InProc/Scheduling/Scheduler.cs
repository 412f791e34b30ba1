using System.Diagnostics;
using InProc.Diagnostics;
using InProc.Execution;
using Microsoft.Extensions.Logging;

namespace InProc.Scheduling;

/// <summary>
/// Holds every not-yet-due envelope (delayed jobs, retries waiting for their backoff) in one priority queue,
/// driven by one <see cref="ITimer"/> from the injected <see cref="TimeProvider"/> and re-armed for the earliest
/// due time. A million scheduled jobs cost a million heap entries, not a million timers. Due envelopes go to the
/// <see cref="IDueJobSink"/> the composition root connects (a queue, or the inline runner of synchronous mode).
/// The timer callback is guarded: whatever a sink throws, the job is reported and the timer goes on.
/// </summary>
internal sealed class Scheduler : IDisposable
{
    // System timers take at most about 49.7 days; arm for a day at most and re-arm when it fires.
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromDays(1);

    private const int MinTrimCapacity = 4_096; // heap entries (24 B each): below ~100 KB the array is never trimmed

    private readonly object _lock = new();
    private readonly PriorityQueue<Envelope, DuePriority> _heap = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private IDueJobSink? _sink;
    private long _sequence;
    private long _armedForTicks = long.MaxValue;
    private bool _stopped;

    public Scheduler(TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
        _timer = time.CreateTimer(static state => ((Scheduler)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Scheduled envelopes, cancelled ones that are not yet due included.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _heap.Count;
            }
        }
    }

    /// <summary>Set for a claiming store (PostgreSQL): due times live in its rows, and nothing waits in this heap.</summary>
    public bool StoreKeepsDueJobs { get; set; }

    /// <summary>Connects where due envelopes go. Called once by the composition root, before anything can come due.</summary>
    public void Connect(IDueJobSink sink) => _sink = sink;

    /// <summary>Adds an envelope whose <see cref="Envelope.DueAtTicks"/> is set. False once stopped.</summary>
    public bool TrySchedule(Envelope envelope)
    {
        lock (_lock)
        {
            if (_stopped || StoreKeepsDueJobs)
            {
                return !_stopped; // a shared store holds due times itself: its claimer takes the job when due
            }

            // The sequence breaks ties among equal due times (first scheduled, first run); it lives in the heap's
            // priority only, not in the envelope.
            var due = envelope.DueAtTicks;
            _heap.Enqueue(envelope, new DuePriority(due, ++_sequence));
            if (due < _armedForTicks)
            {
                Arm(due);
            }

            AssertInvariants();
            return true;
        }
    }

    /// <summary>Stops firing and hands back everything still scheduled, for the shutdown report.</summary>
    public List<Envelope> Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            _armedForTicks = long.MaxValue;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            var pending = new List<Envelope>(_heap.Count);
            while (_heap.TryDequeue(out var envelope, out _))
            {
                pending.Add(envelope);
            }

            return pending;
        }
    }

    public void Dispose() => _timer.Dispose();

    private void OnTimer()
    {
        List<Envelope>? due = null;
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            var now = _time.GetUtcNow().UtcTicks;
            while (_heap.TryPeek(out var envelope, out var priority) && priority.DueTicks <= now)
            {
                _heap.Dequeue();

                // A job moved later (a debounced unique duplicate) has a newer entry for its new time: this one is stale.
                if (envelope.DueAtTicks <= priority.DueTicks)
                {
                    (due ??= []).Add(envelope);
                }
            }

            // The heap's array keeps the size of its largest burst (1,000,000 scheduled jobs: ~24 MB). Give it back once
            // it is under a quarter full, as JobTracker.Forget does for the index: O(1) amortized, never in a steady state.
            if (due is not null && _heap.Count < _heap.EnsureCapacity(0) / 4 && _heap.EnsureCapacity(0) > MinTrimCapacity)
            {
                _heap.TrimExcess();
            }

            _armedForTicks = long.MaxValue;
            if (_heap.TryPeek(out _, out var next))
            {
                Arm(next.DueTicks);
            }

            AssertInvariants();
        }

        // Outside the lock: handing an envelope to its queue may run user code (a drop hook, or the job itself in
        // synchronous mode), which may schedule more jobs.
        if (due is null)
        {
            return;
        }

        foreach (var envelope in due)
        {
            try
            {
                _sink!.OnDue(envelope);
            }
#pragma warning disable CA1031 // A timer callback that throws can take the process down: never let anything out.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.SchedulerFault(_logger, ex, envelope.Id);
                _sink?.OnFault(envelope);
            }
        }
    }

    private void Arm(long dueTicks)
    {
        _armedForTicks = dueTicks;
        var delay = TimeSpan.FromTicks(Math.Max(0, dueTicks - _time.GetUtcNow().UtcTicks));
        _timer.Change(delay < MaxTimerDelay ? delay : MaxTimerDelay, Timeout.InfiniteTimeSpan);
    }

    [Conditional("DEBUG")]
    private void AssertInvariants() =>
        Debug.Assert(!_heap.TryPeek(out _, out var first) || _stopped || _armedForTicks <= first.DueTicks, "the timer is armed for the earliest due time or sooner");

    private readonly record struct DuePriority(long DueTicks, long Sequence) : IComparable<DuePriority>
    {
        public int CompareTo(DuePriority other)
        {
            var byDue = DueTicks.CompareTo(other.DueTicks);
            return byDue != 0 ? byDue : Sequence.CompareTo(other.Sequence);
        }
    }
}
