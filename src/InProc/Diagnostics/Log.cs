using Microsoft.Extensions.Logging;

namespace InProc.Diagnostics;

/// <summary>Every log line InProc writes. Event ids are fixed: never reuse or renumber one.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "Started", Level = LogLevel.Information,
        Message = "InProc started {QueueCount} queue(s) with {WorkerCount} worker(s) in all")]
    public static partial void Started(ILogger logger, int queueCount, int workerCount);

    [LoggerMessage(EventId = 2, EventName = "Stopping", Level = LogLevel.Information,
        Message = "InProc is stopping: draining {Waiting} queued job(s) for at most {ShutdownTimeout}")]
    public static partial void Stopping(ILogger logger, int waiting, TimeSpan shutdownTimeout);

    [LoggerMessage(EventId = 3, EventName = "Stopped", Level = LogLevel.Information,
        Message = "InProc stopped after {Elapsed}; {Abandoned} job(s) abandoned")]
    public static partial void Stopped(ILogger logger, TimeSpan elapsed, int abandoned);

    [LoggerMessage(EventId = 4, EventName = "DrainTimedOut", Level = LogLevel.Warning,
        Message = "InProc could not drain within {ShutdownTimeout}: cancelling running jobs and waiting {GracePeriod}")]
    public static partial void DrainTimedOut(ILogger logger, TimeSpan shutdownTimeout, TimeSpan gracePeriod);

    [LoggerMessage(EventId = 10, EventName = "JobAbandoned", Level = LogLevel.Warning,
        Message = "Job {JobId} ({JobType}) on queue {QueueName} was abandoned while {PreviousState}: {Reason}")]
    public static partial void JobAbandoned(ILogger logger, JobId jobId, string jobType, string queueName, JobState previousState, AbandonReason reason);

    [LoggerMessage(EventId = 11, EventName = "JobRetrying", Level = LogLevel.Warning,
        Message = "Job {JobId} ({JobType}) failed on attempt {Attempt} of {MaxAttempts}; retrying at {NextAttemptAt}")]
    public static partial void JobRetrying(ILogger logger, Exception exception, JobId jobId, string jobType, int attempt, int maxAttempts, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = 12, EventName = "JobDeadLettered", Level = LogLevel.Error,
        Message = "Job {JobId} ({JobType}) failed on attempt {Attempt} of {MaxAttempts} and went to the dead letters")]
    public static partial void JobDeadLettered(ILogger logger, Exception exception, JobId jobId, string jobType, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 13, EventName = "DeadLetterDropped", Level = LogLevel.Warning,
        Message = "The dead letters are full ({Capacity}); forgot the oldest, job {JobId} ({JobType})")]
    public static partial void DeadLetterDropped(ILogger logger, int capacity, JobId jobId, string jobType);

    [LoggerMessage(EventId = 14, EventName = "JobCancelled", Level = LogLevel.Information,
        Message = "Job {JobId} ({JobType}) was cancelled before it started")]
    public static partial void JobCancelled(ILogger logger, JobId jobId, string jobType);

    [LoggerMessage(EventId = 20, EventName = "HookFailed", Level = LogLevel.Error,
        Message = "The {Hook} callback threw for job {JobId}; the exception was ignored")]
    public static partial void HookFailed(ILogger logger, Exception exception, string hook, JobId jobId);

    [LoggerMessage(EventId = 21, EventName = "WorkerFault", Level = LogLevel.Critical,
        Message = "A worker of queue {QueueName} caught an unexpected exception running job {JobId}; the worker continues")]
    public static partial void WorkerFault(ILogger logger, Exception exception, string queueName, JobId jobId);
}
