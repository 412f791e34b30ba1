using System.Collections.Concurrent;
using InProc.Diagnostics;
using InProc.Execution;
using InProc.Lifecycle;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Recurring;

internal sealed partial class RecurringRunner : IJobChangeObserver
{
    // The runs that have not finished, by job id, for the overlap policies. Small: one per running schedule (more
    // under OverlapPolicy.Allow). _tracking lets the change feed skip the dictionary while it is empty.
    private readonly ConcurrentDictionary<JobId, RecurringEntry> _unfinished = new();
    private readonly ConcurrentQueue<RecurringEntry> _released = new();
    private int _tracking;

    /// <summary>
    /// The change feed's view: a tracked run reached a terminal state (or was refused or forgotten). Cheap, no lock
    /// of an entry: a held slot is handed to the timer, which runs it.
    /// </summary>
    public void OnChange(in JobChange change)
    {
        if (Volatile.Read(ref _tracking) == 0 || !Ends(change) || !_unfinished.TryRemove(change.Envelope.Id, out var entry))
        {
            return;
        }

        Interlocked.Decrement(ref _tracking);
        entry.RunEnded();
        if (entry.HasHeldSlot)
        {
            _released.Enqueue(entry);
            ArmNow();
        }
    }

    private static bool Ends(in JobChange change) =>
        change.Kind is JobChangeKind.Rejected or JobChangeKind.Forgotten
        || (change.Kind == JobChangeKind.Transitioned && change.State.IsFinal());

    /// <summary>One slot the plan runs: the overlap policy, the claim, then the run. Caller holds the entry's lock.</summary>
    private void RunSlot(RecurringEntry entry, DateTimeOffset slot)
    {
        var policy = entry.Options.Overlap;
        if (entry.Unfinished > 0 && policy != OverlapPolicy.Allow)
        {
            if (policy == OverlapPolicy.Skip || entry.HeldSlot is not null)
            {
                // Skip, or Queue with a slot already waiting: at most one queued run per schedule.
                Log.RecurringOverlapSkipped(_logger, entry.Name, TimeMath.Iso(slot), entry.LastJobId, policy);
                _metrics.Count(entry.Name, RecurringMetrics.SkippedOverlap);
                return;
            }

            if (Claim(entry, slot))
            {
                entry.HeldSlot = slot;
                Log.RecurringOverlapQueued(_logger, entry.Name, TimeMath.Iso(slot), entry.LastJobId);

                // The run may have ended between the check and the hold: then nobody else would release it.
                if (entry.Unfinished == 0)
                {
                    _released.Enqueue(entry);
                    ArmNow();
                }
            }

            return;
        }

        if (Claim(entry, slot))
        {
            Enqueue(entry, slot);
        }
    }

    /// <summary>Held slots whose previous run has ended (<see cref="OverlapPolicy.Queue"/>), on the timer.</summary>
    private void RunReleased()
    {
        while (_released.TryDequeue(out var entry))
        {
            try
            {
                lock (entry)
                {
                    if (entry.HeldSlot is { } slot && entry.Unfinished == 0 && !entry.Paused)
                    {
                        entry.HeldSlot = null;
                        Enqueue(entry, slot); // claimed when it was held
                    }
                }
            }
#pragma warning disable CA1031 // As in OnTimer: nothing may escape a timer callback.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.RecurringTimerFault(_logger, ex, entry.Name);
            }
        }
    }

    private bool Claim(RecurringEntry entry, DateTimeOffset slot)
    {
        if (Wait(_state.TryClaimSlotAsync(entry.Name, slot)))
        {
            return true;
        }

        Log.RecurringSlotTaken(_logger, entry.Name, TimeMath.Iso(slot));
        return false;
    }

    /// <summary>
    /// Makes the run's message and enqueues it as a normal job; returns its id, or null when it could not be made or
    /// admitted (logged, counted). Caller holds the entry's lock. Never throws.
    /// </summary>
    private JobId? Enqueue(RecurringEntry entry, DateTimeOffset slot)
    {
        object message;
        try
        {
            message = entry.Registration.CreateMessage(entry.Schedule.ToLocal(slot));
        }
#pragma warning disable CA1031 // The message factory is user code: its failure costs this slot, never the schedule.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.RecurringMessageFailed(_logger, ex, entry.Name, TimeMath.Iso(slot));
            _metrics.Count(entry.Name, RecurringMetrics.FailedToEnqueue);
            return null;
        }

        var ticket = new AdmissionTicket(entry.JobRegistration);
        Exception? error = null;
        var admitted = false;
        var enqueued = default(JobId);
        try
        {
            _queue ??= _services.GetRequiredService<IJobQueue>();
            ticket.Offer();
            if (_queue is IRecurringJobSink sink)
            {
                enqueued = sink.EnqueueDue(message);
                admitted = true;
            }
            else
            {
                admitted = _queue.TryEnqueue(message, out _);
            }
        }
#pragma warning disable CA1031 // Admission refused (InProc stops), or synchronous mode threw the job's own failure after it ran.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ex;
        }
        finally
        {
            AdmissionTicket.Withdraw();
        }

        // A unique job's duplicate creates no job: the sink returns the holder's id, which the run then stands for.
        var id = admitted && enqueued != default ? enqueued : ticket.Id;
        if (!admitted && (error is null || id == default || _store.Find(id, _time.GetUtcNow()) is null))
        {
            Log.RecurringEnqueueFailed(_logger, error, entry.Name, TimeMath.Iso(slot));
            _metrics.Count(entry.Name, RecurringMetrics.FailedToEnqueue);
            return null;
        }

        // Admitted. A job that threw here ran inline (synchronous mode) and its failure is recorded: dead letters, hooks.
        entry.LastSlot = slot;
        entry.LastJobId = id;
        _metrics.Count(entry.Name, RecurringMetrics.Ran);
        Log.RecurringRunEnqueued(_logger, entry.Name, id, TimeMath.Iso(slot));
        Track(entry, id);
        return id;
    }

    /// <summary>
    /// Counts the run as unfinished until the change feed reports its end. It may have ended already (inline in
    /// synchronous mode, or on a fast worker) before it is tracked: the check after tracking catches that, and the
    /// dictionary's removal decides who ends it, so it is ended exactly once.
    /// </summary>
    private void Track(RecurringEntry entry, JobId id)
    {
        if (IsFinished(id) || _unfinished.ContainsKey(id))
        {
            return; // ended already, or a unique duplicate of a run that is tracked: counted once
        }

        entry.RunStarted();
        Interlocked.Increment(ref _tracking);
        _unfinished[id] = entry;
        if (IsFinished(id) && _unfinished.TryRemove(id, out _))
        {
            Interlocked.Decrement(ref _tracking);
            entry.RunEnded();
        }
    }

    private bool IsFinished(JobId id) =>
        _store.FindActive(id) is not { } envelope || envelope.State.IsFinal();
}
