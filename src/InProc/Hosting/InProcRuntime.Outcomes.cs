using InProc.Diagnostics;
using InProc.Execution;

namespace InProc.Hosting;

internal sealed partial class InProcRuntime
{
    bool IJobOutcomeSink.TryStart(Envelope envelope) => Tracker.TryStart(envelope);

    void IJobOutcomeSink.Succeeded(Envelope envelope) => Tracker.Succeeded(envelope);

    void IJobOutcomeSink.StoppedByShutdown(Envelope envelope) => Abandon(envelope, AbandonReason.Shutdown);

    void IJobOutcomeSink.Failed(Envelope envelope, Exception error)
    {
        var registration = envelope.Registration;
        var policy = registration.Retry;
        var attempt = envelope.Attempt;
        var jobType = registration.MessageType.Name;

        // Synchronous mode surfaces the failure to the caller instead of retrying it behind their back, unless the
        // test asked for retries (they then wait for the clock like any scheduled job).
        if ((!IsSynchronous || _options.SynchronousRetries) && policy.ShouldRetry(error, attempt))
        {
            var dueAt = _time.GetUtcNow() + policy.GetDelay(attempt, Random.Shared.NextDouble());
            if (Tracker.TryRetrying(envelope, error, dueAt, _scheduler.TrySchedule))
            {
                Log.JobRetrying(_logger, error, envelope.Id, jobType, attempt, policy.MaxAttempts, dueAt);
                InvokeHook(_options.OnJobFailed, new JobFailedArguments(envelope.Id, envelope.Message, registration.QueueName, attempt, error, dueAt), envelope.Id);
            }
            else if (envelope.State == JobState.Retrying)
            {
                Abandon(envelope, AbandonReason.Shutdown); // the scheduler has stopped: the retry will not run in this process
            }

            return;
        }

        // Into the dead letters before the state says Failed, so whoever sees Failed finds the dead letter too.
        var letter = new DeadLetter(envelope.Id, envelope.Message, registration.QueueName, attempt, error, envelope.CreatedAt, _time.GetUtcNow());
        var dropped = DeadLetters.Add(envelope, letter);
        if (!Tracker.TryFail(envelope, error))
        {
            DeadLetters.Take(envelope.Id); // abandoned by the shutdown meanwhile
            return;
        }

        if (dropped is not null)
        {
            Log.DeadLetterDropped(_logger, _options.DeadLetterCapacity, dropped.Id, dropped.Registration.MessageType.Name);
        }

        Log.JobDeadLettered(_logger, error, envelope.Id, jobType, attempt, policy.MaxAttempts);
        InvokeHook(_options.OnJobFailed, new JobFailedArguments(envelope.Id, envelope.Message, registration.QueueName, attempt, error, null), envelope.Id);
    }

    /// <summary>Reports a job that will not finish: log, monitor state, <see cref="InProcOptions.OnAbandoned"/>. Once per job.</summary>
    private void Abandon(Envelope envelope, AbandonReason reason)
    {
        if (!Tracker.TryAbandon(envelope, out var previous))
        {
            return;
        }

        Interlocked.Increment(ref _abandonedCount);
        if (reason == AbandonReason.QueueFull)
        {
            Metrics.Dropped(envelope);
        }

        Log.JobAbandoned(_logger, envelope.Id, envelope.Registration.MessageType.Name, envelope.Registration.QueueName, previous, reason);
        if (_options.OnAbandoned is { } hook)
        {
            InvokeHook(hook, new JobAbandonedArguments(envelope.Id, envelope.Message, envelope.Registration.QueueName, previous, reason), envelope.Id);
        }
    }

    private void InvokeHook<TArguments>(Action<TArguments>? hook, TArguments arguments, JobId id)
    {
        if (hook is null)
        {
            return;
        }

        try
        {
            hook(arguments);
        }
#pragma warning disable CA1031 // An application's callback must never break a worker or the drain.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.HookFailed(_logger, ex, typeof(TArguments) == typeof(JobAbandonedArguments) ? nameof(InProcOptions.OnAbandoned) : nameof(InProcOptions.OnJobFailed), id);
        }
    }
}
