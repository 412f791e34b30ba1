using InProc.Diagnostics;
using InProc.Execution;
using InProc.Store;
using Microsoft.Extensions.Logging;

namespace InProc.Lifecycle;

/// <summary>
/// The one writer of job state. Every transition is a compare-and-set on (id, expected state, attempt) through
/// the store, followed by one entry on the change feed. It decides what an attempt's result means (success,
/// retry, dead letter, abandon) and returns that decision; it never calls a queue or the scheduler.
/// </summary>
internal sealed partial class JobLifecycle(IJobStore store, ChangeFeed feed, HookRunner hooks, ILogger logger, TimeProvider time, InProcOptions options)
{
    private int _abandonedByShutdown;
    private int _leftForRestart;

    public IJobStore Store => store;

    /// <summary>Jobs abandoned because InProc stopped, for the stop's report.</summary>
    public int AbandonedByShutdown => Volatile.Read(ref _abandonedByShutdown);

    /// <summary>Jobs a stop left in a durable store for the next start instead of abandoning them.</summary>
    public int LeftForRestart => Volatile.Read(ref _leftForRestart);

    public ChangeFeed Feed => feed;

    public HookRunner Hooks => hooks;

    /// <summary>Stores a new job (Enqueued, or Scheduled with its due time set). Completes when the store has it.</summary>
    public ValueTask AdmitAsync(Envelope envelope, JobState state, CancellationToken cancellationToken)
    {
        if (state == JobState.Scheduled)
        {
            // A new envelope is (Enqueued, 1); scheduling is its first transition, made before anyone can see it.
            envelope.TryTransition(JobState.Enqueued, envelope.Attempt, JobState.Scheduled, envelope.Attempt);
        }

        var pending = store.AddAsync(envelope, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return AdmittedAsync(pending, envelope, state);
        }

        feed.Publish(new JobChange(envelope, state, state, JobChangeKind.Added));
        return ValueTask.CompletedTask;
    }

    /// <summary>Stores a new job when the store completes synchronously (the memory store), for the non-async entry points.</summary>
    public void Admit(Envelope envelope, JobState state)
    {
        var pending = AdmitAsync(envelope, state, CancellationToken.None);
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>A job its queue refused at admission: the caller is told, and no job exists.</summary>
    public void Reject(Envelope envelope)
    {
        store.Forget(envelope);
        feed.Publish(new JobChange(envelope, envelope.State, envelope.State, JobChangeKind.Rejected));
    }

    /// <summary>A job whose admission did not complete (the caller's wait was cancelled, or InProc stopped meanwhile).</summary>
    public void Forget(Envelope envelope)
    {
        store.Forget(envelope);
        feed.Publish(new JobChange(envelope, envelope.State, envelope.State, JobChangeKind.Forgotten));
    }

    public bool TryStart(Envelope envelope, DateTimeOffset? now = null)
    {
        var attempt = envelope.Attempt;
        envelope.StartedAt = now ?? time.GetUtcNow();
        return Apply(envelope, new JobTransition(JobState.Enqueued, attempt, JobState.Running, attempt));
    }

    /// <summary>A scheduled job or a waiting retry became due: back to Enqueued, unless cancelled meanwhile.</summary>
    public bool TryMakeDue(Envelope envelope)
    {
        var attempt = envelope.Attempt;
        var state = envelope.State;
        return state is JobState.Scheduled or JobState.Retrying && Apply(envelope, new JobTransition(state, attempt, JobState.Enqueued, attempt));
    }

    /// <summary>Cancels a job that has not started (queued, scheduled or waiting for a retry).</summary>
    public bool TryCancel(Envelope envelope)
    {
        while (true)
        {
            var state = envelope.State;
            var attempt = envelope.Attempt;
            if (state is not (JobState.Enqueued or JobState.Scheduled or JobState.Retrying))
            {
                return false;
            }

            envelope.FinishedAt = time.GetUtcNow();
            if (Apply(envelope, new JobTransition(state, attempt, JobState.Cancelled, attempt)))
            {
                Log.JobCancelled(logger, envelope.Id, envelope.Registration.MessageType.Name);
                return true;
            }
        }
    }

    /// <summary>
    /// Marks a job that will not finish here, and reports it (log, state, <see cref="InProcOptions.OnAbandoned"/>). Once
    /// per job. With a durable store, a stop's abandon leaves the job for the next start instead: Abandoned here (workers
    /// skip it, the stop's report counts it apart) while the store keeps its last recorded state; not reported to
    /// OnAbandoned, because it is not lost.
    /// </summary>
    public bool TryAbandon(Envelope envelope, AbandonReason reason)
    {
        var durable = reason == AbandonReason.Shutdown ? store as IDurableJobStore : null;
        while (true)
        {
            var previous = envelope.State;
            var attempt = envelope.Attempt;
            if (previous.IsFinal())
            {
                return false;
            }

            envelope.FinishedAt = time.GetUtcNow();
            var transition = new JobTransition(previous, attempt, JobState.Abandoned, attempt);
            if (durable is not null)
            {
                if (LeaveForRestart(durable, envelope, transition))
                {
                    return true;
                }

                continue;
            }

            if (!Apply(envelope, transition, reason))
            {
                continue;
            }

            if (reason == AbandonReason.Shutdown)
            {
                Interlocked.Increment(ref _abandonedByShutdown);
            }

            Log.JobAbandoned(logger, envelope.Id, envelope.Registration.MessageType.Name, envelope.Registration.QueueName, previous, reason);
            if (options.OnAbandoned is { } hook)
            {
                hooks.Invoke(hook, new JobAbandonedArguments(envelope.Id, envelope.Message!, envelope.Registration.QueueName, previous, reason), nameof(InProcOptions.OnAbandoned), envelope.Id);
            }

            return true;
        }
    }

    /// <summary>Takes a dead letter back for a re-run: Failed → Enqueued with a fresh attempt, by compare-and-set.</summary>
    public Envelope? TryRequeue(JobId id)
    {
        if (store.TakeDeadLetter(id) is not { } envelope)
        {
            return null;
        }

        // The dead letter is stored just before its job turns Failed: wait out that instant rather than fail the re-run.
        var spin = default(SpinWait);
        while (envelope.State == JobState.Running)
        {
            spin.SpinOnce();
        }

        var attempt = envelope.Attempt;
        envelope.Error = null;
        envelope.StartedAt = null;
        envelope.FinishedAt = null;
        envelope.DueAt = null;
        envelope.ClearProgress();
        return Apply(envelope, new JobTransition(JobState.Failed, attempt, JobState.Enqueued, 1)) ? envelope : null;
    }

    private bool LeaveForRestart(IDurableJobStore durable, Envelope envelope, JobTransition transition)
    {
        if (!durable.TryLeaveForRestart(envelope, transition))
        {
            return false;
        }

        Interlocked.Increment(ref _leftForRestart);
        Log.JobLeftForRestart(logger, envelope.Id, envelope.Registration.MessageType.Name, transition.From);
        feed.Publish(new JobChange(envelope, transition.From, JobState.Abandoned, JobChangeKind.Transitioned, AbandonReason.Shutdown));
        return true;
    }

    private async ValueTask AdmittedAsync(ValueTask pending, Envelope envelope, JobState state)
    {
        await pending.ConfigureAwait(false);
        feed.Publish(new JobChange(envelope, state, state, JobChangeKind.Added));
    }

    private bool Apply(Envelope envelope, JobTransition transition, AbandonReason? reason = null)
    {
        var pending = store.TransitionAsync(envelope, transition);

        // The memory store completes synchronously; a store that commits asynchronously is waited for here
        // (the SQLite journal's group commit), and its refusal is a lost compare-and-set like any other.
        var applied = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        if (applied)
        {
            feed.Publish(new JobChange(envelope, transition.From, transition.To, JobChangeKind.Transitioned, reason));
        }

        return applied;
    }
}
