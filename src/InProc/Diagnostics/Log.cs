using Microsoft.Extensions.Logging;

namespace InProc.Diagnostics;

/// <summary>Every log line InProc writes. Event ids are fixed: never reuse or renumber one. Times are ISO 8601 UTC.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "Started", Level = LogLevel.Information,
        Message = "InProc started {QueueCount} queue(s) with {WorkerCount} worker(s) in all")]
    public static partial void Started(ILogger logger, int queueCount, int workerCount);

    [LoggerMessage(EventId = 2, EventName = "Stopping", Level = LogLevel.Information,
        Message = "InProc is stopping: draining {Waiting} queued and {Running} running job(s) for at most {Budget} ({Limit})")]
    public static partial void Stopping(ILogger logger, int waiting, int running, TimeSpan budget, string limit);

    [LoggerMessage(EventId = 3, EventName = "Stopped", Level = LogLevel.Information,
        Message = "InProc stopped after {Elapsed}; {Abandoned} job(s) abandoned by this stop")]
    public static partial void Stopped(ILogger logger, TimeSpan elapsed, int abandoned);

    [LoggerMessage(EventId = 4, EventName = "DrainTimedOut", Level = LogLevel.Warning,
        Message = "InProc could not drain before {Limit} ended it after {Elapsed}: {Running} running job(s) are cancelled and get {GracePeriod} to finish")]
    public static partial void DrainTimedOut(ILogger logger, string limit, TimeSpan elapsed, int running, TimeSpan gracePeriod);

    [LoggerMessage(EventId = 5, EventName = "QueueStarted", Level = LogLevel.Information,
        Message = "InProc queue {QueueName}: {Workers} worker(s), capacity {Capacity}, full mode {FullMode}")]
    public static partial void QueueStarted(ILogger logger, string queueName, int workers, int capacity, QueueFullMode fullMode);

    [LoggerMessage(EventId = 6, EventName = "StillRunningAfterGrace", Level = LogLevel.Warning,
        Message = "Job {JobId} ({JobType}) still runs after the shutdown grace period and ignores its cancellation token; it is reported abandoned and left running")]
    public static partial void StillRunningAfterGrace(ILogger logger, JobId jobId, string jobType);

    [LoggerMessage(EventId = 7, EventName = "HooksStillRunning", Level = LogLevel.Warning,
        Message = "InProc's stop budget ended while OnAbandoned/OnJobFailed hooks were still running; they are left to finish on their own")]
    public static partial void HooksStillRunning(ILogger logger);

    [LoggerMessage(EventId = 10, EventName = "JobAbandoned", Level = LogLevel.Warning,
        Message = "Job {JobId} ({JobType}) on queue {QueueName} was abandoned while {PreviousState}: {Reason}")]
    public static partial void JobAbandoned(ILogger logger, JobId jobId, string jobType, string queueName, JobState previousState, AbandonReason reason);

    [LoggerMessage(EventId = 11, EventName = "JobRetrying", Level = LogLevel.Warning,
        Message = "Job {JobId} ({JobType}) failed on attempt {Attempt} of {MaxAttempts}, retrying at {NextAttemptAt}: {ErrorType}: {ErrorMessage}")]
    public static partial void JobRetrying(ILogger logger, JobId jobId, string jobType, int attempt, int maxAttempts, string nextAttemptAt, string? errorType, string errorMessage);

    [LoggerMessage(EventId = 12, EventName = "JobDeadLettered", Level = LogLevel.Error,
        Message = "Job {JobId} ({JobType}) failed on attempt {Attempt} of {MaxAttempts} and went to the dead letters")]
    public static partial void JobDeadLettered(ILogger logger, Exception exception, JobId jobId, string jobType, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 13, EventName = "DeadLetterDropped", Level = LogLevel.Warning,
        Message = "The dead letters are full ({Capacity}); forgot the oldest, job {JobId} ({JobType})")]
    public static partial void DeadLetterDropped(ILogger logger, int capacity, JobId jobId, string jobType);

    [LoggerMessage(EventId = 14, EventName = "JobCancelled", Level = LogLevel.Information,
        Message = "Job {JobId} ({JobType}) was cancelled before it started")]
    public static partial void JobCancelled(ILogger logger, JobId jobId, string jobType);

    [LoggerMessage(EventId = 15, EventName = "JobFailedWhileStopping", Level = LogLevel.Warning,
        Message = "Job {JobId} ({JobType}) failed on attempt {Attempt} while InProc is stopping; its retry cannot run in this process")]
    public static partial void JobFailedWhileStopping(ILogger logger, Exception exception, JobId jobId, string jobType, int attempt);

    [LoggerMessage(EventId = 16, EventName = "JobRetryingDetail", Level = LogLevel.Debug,
        Message = "Job {JobId} attempt {Attempt} failed with this exception")]
    public static partial void JobRetryingDetail(ILogger logger, Exception exception, JobId jobId, int attempt);

    [LoggerMessage(EventId = 17, EventName = "JobStarting", Level = LogLevel.Debug,
        Message = "Job {JobId} ({JobType}) attempt {Attempt} starting on queue {QueueName}")]
    public static partial void JobStarting(ILogger logger, JobId jobId, string jobType, int attempt, string queueName);

    [LoggerMessage(EventId = 18, EventName = "JobSucceeded", Level = LogLevel.Debug,
        Message = "Job {JobId} ({JobType}) attempt {Attempt} succeeded")]
    public static partial void JobSucceeded(ILogger logger, JobId jobId, string jobType, int attempt);

    [LoggerMessage(EventId = 20, EventName = "HookFailed", Level = LogLevel.Error,
        Message = "The {Hook} callback threw for job {JobId}; the exception was ignored")]
    public static partial void HookFailed(ILogger logger, Exception exception, string hook, JobId jobId);

    [LoggerMessage(EventId = 21, EventName = "WorkerFault", Level = LogLevel.Critical,
        Message = "A worker of queue {QueueName} caught an unexpected exception running job {JobId}; the job is abandoned and the worker continues")]
    public static partial void WorkerFault(ILogger logger, Exception exception, string queueName, JobId jobId);

    [LoggerMessage(EventId = 22, EventName = "ObserverFailed", Level = LogLevel.Error,
        Message = "A job state observer ({Observer}) threw for job {JobId}; the exception was ignored")]
    public static partial void ObserverFailed(ILogger logger, Exception exception, string observer, JobId jobId);

    [LoggerMessage(EventId = 23, EventName = "RetryPredicateFailed", Level = LogLevel.Error,
        Message = "The retry policy's DoNotRetry predicate threw for job {JobId} ({JobType}); the job is not retried")]
    public static partial void RetryPredicateFailed(ILogger logger, Exception exception, JobId jobId, string jobType);

    [LoggerMessage(EventId = 24, EventName = "SchedulerFault", Level = LogLevel.Critical,
        Message = "The scheduler's timer caught an unexpected exception handing job {JobId} to its queue; the job is abandoned and the timer continues")]
    public static partial void SchedulerFault(ILogger logger, Exception exception, JobId jobId);

    [LoggerMessage(EventId = 30, EventName = "RecurringStarted", Level = LogLevel.Information,
        Message = "InProc armed {Count} recurring job(s) on one timer, {Paused} of them paused")]
    public static partial void RecurringStarted(ILogger logger, int count, int paused);

    [LoggerMessage(EventId = 31, EventName = "RecurringRunEnqueued", Level = LogLevel.Debug,
        Message = "Recurring job {Name} enqueued job {JobId} for the slot {Slot}")]
    public static partial void RecurringRunEnqueued(ILogger logger, string name, JobId jobId, string slot);

    [LoggerMessage(EventId = 32, EventName = "RecurringMisfired", Level = LogLevel.Warning,
        Message = "Recurring job {Name} missed {Missed} slot(s); {Skipped} slot(s) from {FirstSkipped} to {LastSkipped} do not run (MisfirePolicy.{Policy}){Bound}")]
    public static partial void RecurringMisfired(ILogger logger, string name, int missed, int skipped, string firstSkipped, string lastSkipped, MisfirePolicy policy, string bound);

    [LoggerMessage(EventId = 33, EventName = "RecurringOverlapSkipped", Level = LogLevel.Warning,
        Message = "Recurring job {Name} skipped the slot {Slot}: its previous run (job {JobId}) has not finished (OverlapPolicy.{Policy})")]
    public static partial void RecurringOverlapSkipped(ILogger logger, string name, string slot, JobId? jobId, OverlapPolicy policy);

    [LoggerMessage(EventId = 34, EventName = "RecurringOverlapQueued", Level = LogLevel.Information,
        Message = "Recurring job {Name}: the slot {Slot} runs when its previous run (job {JobId}) has finished (OverlapPolicy.Queue)")]
    public static partial void RecurringOverlapQueued(ILogger logger, string name, string slot, JobId? jobId);

    [LoggerMessage(EventId = 35, EventName = "RecurringSlotTaken", Level = LogLevel.Debug,
        Message = "Recurring job {Name}: the slot {Slot} was claimed already (by an earlier process or another host); it does not run here")]
    public static partial void RecurringSlotTaken(ILogger logger, string name, string slot);

    [LoggerMessage(EventId = 36, EventName = "RecurringMessageFailed", Level = LogLevel.Error,
        Message = "The message factory of recurring job {Name} threw for the slot {Slot}; that slot does not run, the schedule goes on")]
    public static partial void RecurringMessageFailed(ILogger logger, Exception exception, string name, string slot);

    [LoggerMessage(EventId = 37, EventName = "RecurringEnqueueFailed", Level = LogLevel.Error,
        Message = "Recurring job {Name} could not enqueue its run for the slot {Slot}; that slot does not run, the schedule goes on")]
    public static partial void RecurringEnqueueFailed(ILogger logger, Exception? exception, string name, string slot);

    [LoggerMessage(EventId = 38, EventName = "RecurringPaused", Level = LogLevel.Information,
        Message = "Recurring job {Name} is paused")]
    public static partial void RecurringPaused(ILogger logger, string name);

    [LoggerMessage(EventId = 39, EventName = "RecurringResumed", Level = LogLevel.Information,
        Message = "Recurring job {Name} resumed; its next slot is {NextRunAt} (slots missed while paused do not run)")]
    public static partial void RecurringResumed(ILogger logger, string name, string nextRunAt);

    [LoggerMessage(EventId = 40, EventName = "RecurringTriggered", Level = LogLevel.Information,
        Message = "Recurring job {Name} was triggered outside its schedule: job {JobId}")]
    public static partial void RecurringTriggered(ILogger logger, string name, JobId? jobId);

    [LoggerMessage(EventId = 41, EventName = "RecurringTimerFault", Level = LogLevel.Critical,
        Message = "The recurring jobs' timer caught an unexpected exception ticking {Name}; the schedule goes on")]
    public static partial void RecurringTimerFault(ILogger logger, Exception exception, string name);

    // 90–99: a durable store (the SQLite journal) seen from the runtime.
    [LoggerMessage(EventId = 90, EventName = "JobLeftForRestart", Level = LogLevel.Debug,
        Message = "Job {JobId} ({JobType}) was {PreviousState} when InProc stopped; it stays in the journal and runs after the next start")]
    public static partial void JobLeftForRestart(ILogger logger, JobId jobId, string jobType, JobState previousState);

    [LoggerMessage(EventId = 91, EventName = "JobsLeftForRestart", Level = LogLevel.Information,
        Message = "{Count} job(s) not run by this stop stay in the journal; they run after the next start")]
    public static partial void JobsLeftForRestart(ILogger logger, int count);

    [LoggerMessage(EventId = 92, EventName = "JobsRecovered", Level = LogLevel.Information,
        Message = "Recovered {Count} unfinished job(s) from the journal: {Queued} queued, {Scheduled} scheduled or retrying, {Rerun} re-run after an interrupted attempt")]
    public static partial void JobsRecovered(ILogger logger, int count, int queued, int scheduled, int rerun);
}
