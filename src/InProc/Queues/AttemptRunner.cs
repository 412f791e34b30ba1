using InProc.Diagnostics;
using InProc.Execution;
using InProc.Lifecycle;
using InProc.Scheduling;
using Microsoft.Extensions.Logging;

namespace InProc.Queues;

/// <summary>
/// One attempt, start to decision: start (compare-and-set), run (executor), complete (lifecycle), and hand a
/// retry to the scheduler. Shared by the channel workers and the inline runner of synchronous mode.
/// </summary>
internal sealed class AttemptRunner(JobLifecycle lifecycle, JobExecutor executor, Scheduler scheduler, RunState state, ILogger logger, bool retries)
{
    public JobLifecycle Lifecycle => lifecycle;

    /// <summary>
    /// Runs the envelope if it can still start; returns the attempt's failure, or null. Never throws.
    /// <paramref name="startedAt"/> is a clock reading the caller already has (a worker that goes straight from one
    /// job to the next starts it at the time the last one finished): one clock read per attempt, not two.
    /// </summary>
    public async ValueTask<Exception?> RunAsync(Envelope envelope, DateTimeOffset? startedAt = null)
    {
        try
        {
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
}
