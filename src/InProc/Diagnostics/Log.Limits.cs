using Microsoft.Extensions.Logging;

namespace InProc.Diagnostics;

/// <summary>Unique jobs and limits (event ids 50–59).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 50, EventName = "JobDuplicate", Level = LogLevel.Debug,
        Message = "A {JobType} with unique key {UniqueKey} was not enqueued: job {ExistingJobId} holds the key")]
    public static partial void JobDuplicate(ILogger logger, string jobType, string uniqueKey, JobId existingJobId);

    [LoggerMessage(EventId = 51, EventName = "JobWaitingOnLimit", Level = LogLevel.Debug,
        Message = "Job {JobId} ({JobType}) waits on its {Limit} (key {LimitKey}) without holding a worker")]
    public static partial void JobWaitingOnLimit(ILogger logger, JobId jobId, string jobType, JobWaitReason limit, string limitKey);

    [LoggerMessage(EventId = 52, EventName = "LimitKeyFailed", Level = LogLevel.Error,
        Message = "Job {JobId} ({JobType}) cannot run: its limit key selector failed; it goes to the dead letters")]
    public static partial void LimitKeyFailed(ILogger logger, Exception exception, JobId jobId, string jobType);

    [LoggerMessage(EventId = 53, EventName = "LimitHandOverFailed", Level = LogLevel.Critical,
        Message = "Job {JobId} could not be dispatched after a concurrency slot of its key freed; it is abandoned so its slot is not lost")]
    public static partial void LimitHandOverFailed(ILogger logger, Exception exception, JobId jobId);
}
