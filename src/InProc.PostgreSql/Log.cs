using Microsoft.Extensions.Logging;

namespace InProc.PostgreSql;

/// <summary>
/// The PostgreSQL store's log lines, written to InProc's own logger (category "InProc"). Event ids 400–419 belong to
/// this package: never reuse or renumber one.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 400, EventName = "PostgreSqlOpened", Level = LogLevel.Information,
        Message = "InProc.PostgreSql opened the schema {Schema} (version {Version}, migrated from {From}) as host {Host}; notifications {Notifications}, lease {Lease}")]
    public static partial void Opened(ILogger logger, string schema, int version, int from, string host, string notifications, TimeSpan lease);

    [LoggerMessage(EventId = 401, EventName = "PostgreSqlLeaseLost", Level = LogLevel.Warning,
        Message = "InProc.PostgreSql: the result of job {JobId} (attempt {Attempt}, {State}) was dropped: this host ({Host}) no longer holds its lease (it expired, and another host took the job over or it was cancelled); the other host's outcome stands")]
    public static partial void LeaseLost(ILogger logger, string jobId, int attempt, JobState state, string host);

    [LoggerMessage(EventId = 402, EventName = "PostgreSqlClaimFailed", Level = LogLevel.Error,
        Message = "InProc.PostgreSql could not claim jobs in the schema {Schema}: {Reason}. Retrying every poll interval; nothing is lost, jobs wait in the table")]
    public static partial void ClaimFailed(ILogger logger, Exception exception, string schema, string reason);

    [LoggerMessage(EventId = 403, EventName = "PostgreSqlWriteFailed", Level = LogLevel.Error,
        Message = "InProc.PostgreSql could not record {Count} job result(s) in the schema {Schema} (try {Try}): {Reason}. Retrying until it can; meanwhile those jobs stay leased to this host. If this host stops first, they run again on some host after their lease expires")]
    public static partial void WriteFailed(ILogger logger, Exception exception, int count, string schema, int @try, string reason);

    [LoggerMessage(EventId = 404, EventName = "PostgreSqlLeasesTakenOver", Level = LogLevel.Warning,
        Message = "InProc.PostgreSql took over {Count} job(s) whose host stopped renewing its lease; they run again with their attempt + 1 (JobContext.IsRecovery)")]
    public static partial void LeasesTakenOver(ILogger logger, int count);

    [LoggerMessage(EventId = 405, EventName = "PostgreSqlListenFailed", Level = LogLevel.Warning,
        Message = "InProc.PostgreSql lost its LISTEN connection ({Reason}); polling every {Poll} until it reconnects")]
    public static partial void ListenFailed(ILogger logger, Exception exception, string reason, TimeSpan poll);

    [LoggerMessage(EventId = 406, EventName = "PostgreSqlMaintenanceFailed", Level = LogLevel.Error,
        Message = "InProc.PostgreSql: heartbeat, lease take-over or pruning failed ({Reason}); retrying at the next heartbeat. Leases of this host expire if this goes on for {Lease}")]
    public static partial void MaintenanceFailed(ILogger logger, Exception exception, string reason, TimeSpan lease);

    [LoggerMessage(EventId = 407, EventName = "PostgreSqlRowUnreadable", Level = LogLevel.Error,
        Message = "InProc.PostgreSql: job {JobId} (stored type {StoredType}) cannot be read back: {Reason}. It is now a dead letter; fix the type's JSON binding and re-run it from the dead letters")]
    public static partial void RowUnreadable(ILogger logger, string jobId, string storedType, string reason);

    [LoggerMessage(EventId = 408, EventName = "PostgreSqlClosed", Level = LogLevel.Information,
        Message = "InProc.PostgreSql closed host {Host}: {HandedBack} job(s) handed back for other hosts")]
    public static partial void Closed(ILogger logger, string host, int handedBack);

    [LoggerMessage(EventId = 409, EventName = "PostgreSqlPruned", Level = LogLevel.Debug,
        Message = "InProc.PostgreSql pruned {Count} finished row(s)")]
    public static partial void Pruned(ILogger logger, int count);

    [LoggerMessage(EventId = 410, EventName = "PostgreSqlProgressWriteFailed", Level = LogLevel.Warning,
        Message = "InProc.PostgreSql could not write running jobs' progress ({Reason}); other hosts show the last written progress until the next try")]
    public static partial void ProgressWriteFailed(ILogger logger, Exception exception, string reason);

    [LoggerMessage(EventId = 411, EventName = "PostgreSqlWakeFailed", Level = LogLevel.Warning,
        Message = "InProc.PostgreSql could not notify the hosts that concurrency slots were freed in the schema {Schema}: {Reason}. They claim at their next poll instead")]
    public static partial void WakeFailed(ILogger logger, Exception exception, string schema, string reason);
}
