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
    public async ValueTask<Exception?> RunAsync(Envelope envelope, DateTimeOffset? startedAt = null, bool limits = true)
    {
        try
        {
            if (limits && gate is not null && envelope.Registration.Limits is { GatesExecution: true } registered)
            {
                switch (gate.TryEnter(envelope, registered, out var keyError))
                {
                    case GateVerdict.Wait:
                        return null;
                    case GateVerdict.KeyFailed:
                        return FailUnrunnable(envelope, keyError!, startedAt);
                }
            }

            if (!lifecycle.TryStart(envelope, startedAt))
            {
                return null; // cancelled or abandoned while it waited
            }

            if (logger.IsEnabled(LogLevel.Debug))
            {
                Log.JobStarting(logger, envelope.Id, envelope.Registration.MessageType.Name, envelope.Attempt, envelope.Registration.QueueName);
            }

            var result = await executor.RunAsync(envelope, state.JobsToken).ConfigureAwait(false);
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
#pragma warning disable CA1031 // The last guard: a job must end in a terminal state or be reported, and the worker must go on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.WorkerFault(logger, ex, envelope.Registration.QueueName, envelope.Id);
            lifecycle.TryAbandon(envelope, AbandonReason.Fault);
            return ex;
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
