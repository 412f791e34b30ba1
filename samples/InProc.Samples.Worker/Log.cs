namespace InProc.Samples.Worker;

/// <summary>The sample's log messages, generated at compile time.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "ReportEnqueued", Level = LogLevel.Information, Message = "Enqueued report {Number} as job {JobId}")]
    public static partial void ReportEnqueued(ILogger logger, int number, JobId jobId);

    [LoggerMessage(EventId = 2, EventName = "ReportWritten", Level = LogLevel.Information, Message = "Wrote report {Number} (job {JobId}, requested at {RequestedAt:O})")]
    public static partial void ReportWritten(ILogger logger, int number, JobId jobId, DateTimeOffset requestedAt);
}
