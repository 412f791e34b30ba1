using InProc.Diagnostics;
using InProc.Execution;
using InProc.Lifecycle;
using InProc.Limits;
using InProc.Scheduling;
using Microsoft.Extensions.Logging;

namespace InProc.Queues;

/// <summary>
/// One attempt, start to decision: start (compare-and-set), run (executor), complete (lifecycle), and hand a
/// retry to the scheduler. Shared by the channel workers and the inline runner of synchronous mode.
/// </summary>
internal sealed class AttemptRunner(JobLifecycle lifecycle, JobExecutor executor, Scheduler scheduler, RunState state, ILogger logger, bool retries, LimitGate? gate = null)
{
    public JobLifecycle Lifecycle => lifecycle;

    /// <summary>
    /// Runs the envelope if it can still start; returns the attempt's failure, or null. Never throws.
    /// <paramref name="startedAt"/> is a clock reading the caller already has (a worker that goes straight from one
    /// job to the next starts it at the time the last one finished): one clock read per attempt, not two. With
    /// <paramref name="limits"/> (all but fake mode), a job over a concurrency or rate limit waits there and this
    /// returns null at once, the worker free.
    /// </summary>
    public ValueTask<Exception?> RunAsync(Envelope envelope, DateTimeOffset? startedAt = null, bool limits = true)
    {
        // The limit check stays out of the async method, so a plain job's state machine is the size it always was.
        if (limits && gate is not null && envelope.Registration.Limits is { GatesExecution: true } registered && !TryPassGate(envelope, registered, startedAt, out var verdict))
        {
            return new ValueTask<Exception?>(verdict);
        }

        return RunAttemptAsync(envelope, startedAt);
    }

    /// <summary>
    /// Start, run, complete. An attempt whose executor completes synchronously (see <see cref="JobExecutor.RunAsync"/>)
    /// is decided here without a state machine; one that awaits is finished by <see cref="FinishAsync"/>. Both are
    /// guarded the same way.
    /// </summary>
    private ValueTask<Exception?> RunAttemptAsync(Envelope envelope, DateTimeOffset? startedAt)
    {
        try
        {
            if (!lifecycle.TryStart(envelope, startedAt))
            {
                return default; // cancelled or abandoned while it waited
            }

            if (logger.IsEnabled(LogLevel.Debug))
            {
                Log.JobStarting(logger, envelope.Id, envelope.Registration.MessageType.Name, envelope.Attempt, envelope.Registration.QueueName);
            }

            var running = executor.RunAsync(envelope, state.JobsToken);
            return running.IsCompletedSuccessfully ? new ValueTask<Exception?>(Finish(envelope, running.Result)) : FinishAsync(envelope, running);
        }
#pragma warning disable CA1031 // The last guard: a job must end in a terminal state or be reported, and the worker must go on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new ValueTask<Exception?>(Fault(envelope, ex));
        }
    }

    private async ValueTask<Exception?> FinishAsync(Envelope envelope, ValueTask<AttemptResult> running)
    {
        try
        {
            return Finish(envelope, await running.ConfigureAwait(false));
        }
#pragma warning disable CA1031 // The same last guard as RunAttemptAsync's.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Fault(envelope, ex);
        }
    }

    /// <summary>Applies the attempt's result; a retry goes to the scheduler. Returns the attempt's failure, or null.</summary>
    private Exception? Finish(Envelope envelope, in AttemptResult result)
    {
        var completion = lifecycle.Complete(envelope, result, retries, state.IsStopping);
        if (completion == Completion.RetryScheduled && !scheduler.TrySchedule(envelope))
        {
            lifecycle.TryAbandon(envelope, AbandonReason.Shutdown); // the scheduler stopped meanwhile
        }
        else if (completion == Completion.Succeeded && logger.IsEnabled(LogLevel.Debug))
        {
            Log.JobSucceeded(logger, envelope.Id, envelope.Registration.MessageType.Name, envelope.Attempt);
        }

        return result.Error;
    }

    private Exception Fault(Envelope envelope, Exception error)
    {
        Log.WorkerFault(logger, error, envelope.Registration.QueueName, envelope.Id);
        lifecycle.TryAbandon(envelope, AbandonReason.Fault);
        return error;
    }

    /// <summary>
    /// False when the job does not run now: it waits on a limit (<paramref name="failure"/> null), or its limit key
    /// cannot be read and it failed for good (<paramref name="failure"/> is why). Guarded like the attempt itself.
    /// </summary>
    private bool TryPassGate(Envelope envelope, RegistrationLimits limits, DateTimeOffset? startedAt, out Exception? failure)
    {
        failure = null;
        try
        {
            switch (gate!.TryEnter(envelope, limits, out var keyError))
            {
                case GateVerdict.Wait:
                    return false;
                case GateVerdict.KeyFailed:
                    failure = FailUnrunnable(envelope, keyError!, startedAt);
                    return false;
                default:
                    return true;
            }
        }
#pragma warning disable CA1031 // The same last guard as the attempt's: the job ends in a terminal state and the worker goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = Fault(envelope, ex);
            return false;
        }
    }

    /// <summary>A job whose limit key cannot be read will never run: one failed attempt, straight to the dead letters.</summary>
    private Exception FailUnrunnable(Envelope envelope, Exception error, DateTimeOffset? startedAt)
    {
        if (lifecycle.TryStart(envelope, startedAt))
        {
            lifecycle.Complete(envelope, new AttemptResult(AttemptOutcome.Failed, error), retries: false, state.IsStopping);
        }

        return error;
    }
}
