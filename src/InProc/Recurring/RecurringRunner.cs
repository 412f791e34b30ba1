using System.Collections.Frozen;
using System.Diagnostics;
using InProc.Diagnostics;
using InProc.Lifecycle;
using InProc.Store;
using Microsoft.Extensions.Logging;

namespace InProc.Recurring;

/// <summary>
/// Runs every recurring schedule from one <see cref="ITimer"/> of the injected <see cref="TimeProvider"/>, armed for
/// the earliest next slot of a heap ordered by slot (10,000 schedules: one timer). On each tick the
/// <see cref="MisfirePlanner"/> decides, per due schedule, which slots run; each one is claimed in the
/// <see cref="IRecurringStateStore"/> and enqueued as a normal job through the container's <see cref="IJobQueue"/>.
/// The next slot always comes from the last slot, never from "now". User code (the message factory, a job run
/// inline in synchronous mode) is guarded: a throw is logged and counted, and the schedule goes on.
/// </summary>
internal sealed partial class RecurringRunner : IDisposable
{
    // System timers take at most about 49.7 days; arm for a day at most and re-arm when it fires (as Scheduler does).
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromDays(1);

    private readonly object _lock = new();
    private readonly PriorityQueue<(RecurringEntry Entry, int Version), (long Ticks, int Order)> _heap = new();
    private readonly RecurringEntry[] _entries;
    private readonly FrozenDictionary<string, RecurringEntry> _byName;
    private readonly IRecurringStateStore _state;
    private readonly IJobStore _store;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RecurringMetrics _metrics;
    private ITimer? _timer;
    private IJobQueue? _queue;
    private long _armedForTicks = long.MaxValue;
    private long _lastTickTicks;
    private bool _started;
    private bool _stopped;

    public RecurringRunner(
        RecurringEntry[] entries, IRecurringStateStore state, IJobStore store, IServiceProvider services, TimeProvider time, ILogger logger, System.Diagnostics.Metrics.Meter meter)
    {
        _entries = entries;
        foreach (var entry in entries)
        {
            entry.Paused = !entry.Options.Enabled; // Enabled = false starts paused; ResumeRecurring starts it
        }

        _byName = entries.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal);
        _state = state;
        _store = store;
        _services = services;
        _time = time;
        _logger = logger;
        _metrics = new RecurringMetrics(meter, () => LastTick);
    }

    public int Count => _entries.Length;

    /// <summary>When the timer last fired (UTC), or null before it first did: the heartbeat health checks read.</summary>
    public DateTimeOffset? LastTick => Volatile.Read(ref _lastTickTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>
    /// Arms every enabled schedule for its first slot after its last claimed one (a durable store's, after a restart:
    /// then the misfire policy decides what the downtime missed) or after now. Idempotent.
    /// </summary>
    public void Start()
    {
        lock (_lock)
        {
            if (_started || _stopped)
            {
                return;
            }

            _started = true;
            var now = _time.GetUtcNow();
            var paused = 0;
            foreach (var entry in _entries)
            {
                lock (entry)
                {
                    entry.After = Wait(_state.GetLastSlotAsync(entry.Name)) ?? now;
                    if (entry.Paused)
                    {
                        paused++;
                        continue;
                    }

                    entry.Version++; // a resume before the start may have pushed a node already
                    entry.Next = entry.Schedule.NextAfter(entry.After);
                    Push(entry);
                }
            }

            Log.RecurringStarted(_logger, _entries.Length, paused);
        }
    }

    /// <summary>Stops the timer first, before the drain: no slot runs after this, and a held (queued) slot is dropped.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            _armedForTicks = long.MaxValue;
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _heap.Clear();
        }
    }

    public void Dispose() => _timer?.Dispose();

    /// <summary>Queues <paramref name="entry"/> for its <see cref="RecurringEntry.Next"/> slot. Caller holds the entry's lock.</summary>
    private void Push(RecurringEntry entry)
    {
        if (entry.Next is not { } next || entry.Paused)
        {
            return;
        }

        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            _heap.Enqueue((entry, entry.Version), (next.UtcTicks, entry.Order));
            if (next.UtcTicks < _armedForTicks)
            {
                Arm(next.UtcTicks);
            }
        }
    }

    /// <summary>Fires the timer as soon as possible: a held slot can run (its previous run ended).</summary>
    private void ArmNow()
    {
        lock (_lock)
        {
            if (!_stopped)
            {
                Arm(_time.GetUtcNow().UtcTicks);
            }
        }
    }

    private void Arm(long dueTicks)
    {
        _armedForTicks = dueTicks;
        _timer ??= _time.CreateTimer(static s => ((RecurringRunner)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var delay = TimeSpan.FromTicks(Math.Max(0, dueTicks - _time.GetUtcNow().UtcTicks));
        _timer.Change(delay < MaxTimerDelay ? delay : MaxTimerDelay, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        List<(RecurringEntry Entry, int Version)>? due = null;
        DateTimeOffset now;
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            now = _time.GetUtcNow();
            Volatile.Write(ref _lastTickTicks, now.UtcTicks);
            while (_heap.TryPeek(out var node, out var priority) && priority.Ticks <= now.UtcTicks)
            {
                _heap.Dequeue();
                (due ??= []).Add(node);
            }

            _armedForTicks = long.MaxValue;
            if (_heap.TryPeek(out _, out var next))
            {
                Arm(next.Ticks);
            }

            AssertInvariants();
        }

        // Outside the heap lock: a run may execute user code (the message factory; the job itself in synchronous mode),
        // which may pause, resume or trigger schedules.
        RunReleased();
        if (due is null)
        {
            return;
        }

        foreach (var (entry, version) in due)
        {
            try
            {
                Tick(entry, version, now);
            }
#pragma warning disable CA1031 // A timer callback that throws can take the process down, and would stop every schedule.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.RecurringTimerFault(_logger, ex, entry.Name);
                RecoverAfterFault(entry, version, now);
            }
        }
    }

    /// <summary>One due schedule: plan, run what the plan says, arm for the slot after the newest due one.</summary>
    private void Tick(RecurringEntry entry, int version, DateTimeOffset now)
    {
        lock (entry)
        {
            if (entry.Paused || entry.Version != version)
            {
                return; // paused or resumed since it was pushed: a resume pushed a fresh node
            }

            var plan = MisfirePlanner.Plan(entry.Schedule, entry.After, now, entry.Options);
            if (plan.Skipped > 0)
            {
                ReportMisfire(entry, plan);
            }

            foreach (var slot in plan.Run)
            {
                RunSlot(entry, slot);
            }

            entry.After = plan.NewestDue ?? entry.After;
            entry.Next = plan.Next;
            Push(entry);
        }
    }

    /// <summary>After an unexpected fault, the schedule still goes on: from the slot after now, so the fault cannot repeat in a loop.</summary>
    private void RecoverAfterFault(RecurringEntry entry, int version, DateTimeOffset now)
    {
        lock (entry)
        {
            if (entry.Paused || entry.Version != version)
            {
                return;
            }

            entry.After = now > entry.After ? now : entry.After;
            entry.Next = entry.Schedule.NextAfter(entry.After);
            Push(entry);
        }
    }

    private void ReportMisfire(RecurringEntry entry, MisfirePlan plan)
    {
        _metrics.Count(entry.Name, RecurringMetrics.SkippedMisfire, plan.Skipped);
        var bound = plan.CountsAreExact ? string.Empty : $" (counted up to {RecurringConstants.MaxCountedSlots:N0}; there were more)";
        Log.RecurringMisfired(
            _logger, entry.Name, plan.Missed, plan.Skipped, TimeMath.Iso(plan.FirstSkipped!.Value), TimeMath.Iso(plan.LastSkipped ?? plan.FirstSkipped!.Value), entry.Options.Misfire, bound);
    }

    private static T Wait<T>(ValueTask<T> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    [Conditional("DEBUG")]
    private void AssertInvariants() =>
        Debug.Assert(!_heap.TryPeek(out _, out var first) || _stopped || _armedForTicks <= first.Ticks, "the timer is armed for the earliest slot or sooner");
}
