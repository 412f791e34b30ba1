using Microsoft.Extensions.Logging;

namespace InProc.Sqlite;

/// <summary>
/// The journal's log lines, written to InProc's own logger (category "InProc"). Event ids 300–319 belong to this
/// package: never reuse or renumber one.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 300, EventName = "JournalOpened", Level = LogLevel.Information,
        Message = "InProc.Sqlite opened the journal {Path} (schema version {Version}, synchronous={Synchronous})")]
    public static partial void Opened(ILogger logger, string path, int version, SqliteSynchronous synchronous);

    [LoggerMessage(EventId = 301, EventName = "JournalCommitFailed", Level = LogLevel.Error,
        Message = "InProc.Sqlite could not commit {Count} write(s) to the journal {Path}: {Reason}. Enqueues in this commit failed and were not acknowledged; {Lost} state change(s) were not recorded, so after a restart those jobs resume from their last recorded state (they may run again)")]
    public static partial void CommitFailed(ILogger logger, Exception exception, string path, int count, int lost, string reason);

    [LoggerMessage(EventId = 302, EventName = "JournalRowUnreadable", Level = LogLevel.Error,
        Message = "InProc.Sqlite: job {JobId} in the journal {Path} (stored type {StoredType}) cannot be read back: {Reason}. It is now a dead letter; register the type again (or fix its JSON binding) and re-run it from the dead letters")]
    public static partial void RowUnreadable(ILogger logger, string jobId, string path, string storedType, string reason);

    [LoggerMessage(EventId = 303, EventName = "JournalCrashLoop", Level = LogLevel.Error,
        Message = "InProc.Sqlite: job {JobId} ({StoredType}) was running when the process died {Reruns} time(s) past its {MaxAttempts} attempt(s); it is now a dead letter instead of running again")]
    public static partial void CrashLoop(ILogger logger, string jobId, string storedType, int reruns, int maxAttempts);

    [LoggerMessage(EventId = 304, EventName = "JournalPruned", Level = LogLevel.Debug,
        Message = "InProc.Sqlite pruned {Count} finished row(s) from the journal {Path}")]
    public static partial void Pruned(ILogger logger, int count, string path);

    [LoggerMessage(EventId = 305, EventName = "JournalClosed", Level = LogLevel.Information,
        Message = "InProc.Sqlite closed the journal {Path}; unfinished jobs in it run at the next start")]
    public static partial void Closed(ILogger logger, string path);

    [LoggerMessage(EventId = 306, EventName = "JournalDeadLettersDropped", Level = LogLevel.Warning,
        Message = "InProc.Sqlite: the journal {Path} holds more dead letters than InProcOptions.DeadLetterCapacity ({Capacity}); the {Count} oldest were deleted at start-up")]
    public static partial void DeadLettersDropped(ILogger logger, string path, int capacity, int count);

    [LoggerMessage(EventId = 307, EventName = "JournalUniqueKeysSwept", Level = LogLevel.Information,
        Message = "InProc.Sqlite deleted {Count} unique key(s) from the journal {Path} at start-up: expired, or their job had finished or was gone")]
    public static partial void KeysSwept(ILogger logger, int count, string path);
}
