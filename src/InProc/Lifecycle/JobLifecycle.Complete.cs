using InProc.Diagnostics;
using InProc.Execution;
using InProc.Store;

namespace InProc.Lifecycle;

internal sealed partial class JobLifecycle
{
    /// <summary>
    /// Decides what an attempt's result means and applies it. <paramref name="retries"/> is false in synchronous
    /// mode without retries (a failure is then final); <paramref name="stopping"/> means no retry can run in this
    /// process. User code met here (the retry predicate, the hooks) is guarded.
    /// </summary>
    public Completion Complete(Envelope envelope, in AttemptResult result, bool retries, bool stopping)
    {
        var attempt = envelope.Attempt;
        switch (result.Outcome)
        {
            case AttemptOutcome.Succeeded:
                envelope.FinishedAt = time.GetUtcNow();
                return Apply(envelope, new JobTransition(JobState.Running, attempt, JobState.Succeeded, attempt)) ? Completion.Succeeded : Completion.Lost;

            case AttemptOutcome.StoppedByShutdown:
                return TryAbandon(envelope, AbandonReason.Shutdown) ? Completion.Abandoned : Completion.Lost;
        }

        var error = result.Error!;
        var registration = envelope.Registration;
        var policy = registration.Retry;
        var jobType = registration.MessageType.Name;
        var wantsRetry = retries && WantsRetry(envelope, policy, error, attempt);
        envelope.Error = error;
        envelope.AddFailure(new JobAttempt(attempt, envelope.StartedAt, time.GetUtcNow(), error.GetType().FullName ?? error.GetType().Name, error.Message));

        if (wantsRetry && !stopping)
        {
            var now = time.GetUtcNow();
            var dueAt = TimeMath.AddSaturating(now, policy.GetDelay(attempt, Random.Shared.NextDouble()));
            envelope.DueAt = dueAt;
            if (!Apply(envelope, new JobTransition(JobState.Running, attempt, JobState.Retrying, attempt + 1)))
            {
                return Completion.Lost;
            }

            Log.JobRetrying(logger, envelope.Id, jobType, attempt, policy.MaxAttempts, TimeMath.Iso(dueAt), error.GetType().FullName, error.Message);
            Log.JobRetryingDetail(logger, error, envelope.Id, attempt);
            hooks.Invoke(options.OnJobFailed, new JobFailedArguments(envelope.Id, envelope.Message!, registration.QueueName, attempt, error, dueAt, deadLettered: false), nameof(InProcOptions.OnJobFailed), envelope.Id);
            return Completion.RetryScheduled;
        }

        if (wantsRetry)
        {
            // A retry was due, but none can run in this process (it is stopping): the failure is still reported,
            // then the job is abandoned, so it is neither lost nor silently marked dead.
            Log.JobFailedWhileStopping(logger, error, envelope.Id, jobType, attempt);
            hooks.Invoke(options.OnJobFailed, new JobFailedArguments(envelope.Id, envelope.Message!, registration.QueueName, attempt, error, null, deadLettered: false), nameof(InProcOptions.OnJobFailed), envelope.Id);
            return TryAbandon(envelope, AbandonReason.Shutdown) ? Completion.Abandoned : Completion.Lost;
        }

        // Into the dead letters before the state says Failed, so whoever sees Failed finds the dead letter too; a
        // re-run that takes it in between waits for the Failed state (TryRequeue).
        envelope.FinishedAt = time.GetUtcNow();
        var letter = new DeadLetter(envelope.Id, envelope.Message!, registration.QueueName, attempt, error, envelope.CreatedAt, envelope.FinishedAt!.Value);
        var dropped = store.AddDeadLetter(envelope, letter);
        if (!Apply(envelope, new JobTransition(JobState.Running, attempt, JobState.Failed, attempt)))
        {
            store.TakeDeadLetter(envelope.Id); // abandoned by the shutdown meanwhile: not a dead letter
            return Completion.Lost;
        }

        if (dropped is not null)
        {
            Log.DeadLetterDropped(logger, options.DeadLetterCapacity, dropped.Id, dropped.Message.GetType().Name);
        }

        Log.JobDeadLettered(logger, error, envelope.Id, jobType, attempt, policy.MaxAttempts);
        hooks.Invoke(options.OnJobFailed, new JobFailedArguments(envelope.Id, envelope.Message!, registration.QueueName, attempt, error, null, deadLettered: true), nameof(InProcOptions.OnJobFailed), envelope.Id);
        return Completion.DeadLettered;
    }

    /// <summary>The retry policy's verdict; a predicate that throws counts as "do not retry" and is logged.</summary>
    private bool WantsRetry(Envelope envelope, RetryPolicy policy, Exception error, int attempt)
    {
        if (attempt >= policy.MaxAttempts)
        {
            return false;
        }

        try
        {
            return !policy.IsNotRetried(error);
        }
#pragma warning disable CA1031 // A DoNotRetry predicate is user code; its failure must not leave the job Running.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.RetryPredicateFailed(logger, ex, envelope.Id, envelope.Registration.MessageType.Name);
            return false;
        }
    }
}
