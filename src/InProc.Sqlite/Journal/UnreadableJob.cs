namespace InProc.Sqlite.Journal;

/// <summary>
/// The message of a dead letter whose stored row no longer reads back (its type is not registered, or its JSON does
/// not bind): what was stored, and why it could not be read, for a person to inspect on the dashboard.
/// </summary>
internal sealed record UnreadableJob(string StoredType, string Payload, string Reason);

/// <summary>A re-run of an unreadable dead letter: it fails at once and says why, back into the dead letters.</summary>
internal sealed class UnreadableJobRunner : IJob<UnreadableJob>
{
    public Task RunAsync(UnreadableJob message, JobContext context) =>
        throw new InvalidOperationException(
            $"Job {context.Id} was stored as '{message.StoredType}' and cannot run: {message.Reason}. Register a job for that " +
            "type (or give a message type [JobMessageName(\"" + message.StoredType + "\")]) and restart; the dead letter then reads back and can be re-run.");
}
