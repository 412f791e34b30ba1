using InProc.Store;
using InProc.Execution;

namespace InProc.Sqlite.Journal;

internal enum JournalOpKind
{
    Insert,
    Update,
    Delete,
    ClaimSlot,
    DeleteKey,
    Prune,
    Flush,
}

/// <summary>
/// One write waiting for the next group commit. The values are copied when the write is made (the envelope moves on);
/// <see cref="Done"/> is set for the writes a caller waits for (an enqueue, a recurring claim, a flush).
/// </summary>
internal sealed class JournalOp
{
    public JournalOpKind Kind;
    public string Id = "";
    public Envelope? Envelope;
    public string? Type;
    public string? Queue;
    public byte[]? Payload;
    public int State;
    public int Attempt;
    public long CreatedAt;
    public long DueAt;
    public long StartedAt;
    public long FinishedAt;
    public string? ErrorType;
    public string? Error;
    public string? ErrorStack;
    public string? Failures;

    // An insert's unique key (claimed in memory, written in the insert's transaction), or a DeleteKey's key.
    public string? KeyType;
    public string? KeyValue;
    public long KeyExpires;
    public int KeyScope;
    public TaskCompletionSource? Done;

    public static JournalOp Insert(Envelope envelope, byte[] payload) => new()
    {
        Kind = JournalOpKind.Insert,
        Id = envelope.Id.ToString(),
        Envelope = envelope,
        Type = envelope.Registration.Name,
        Queue = envelope.Registration.QueueName,
        Payload = payload,
        State = (int)envelope.State,
        Attempt = envelope.Attempt,
        CreatedAt = envelope.CreatedAtTicks,
        DueAt = envelope.DueAtTicks,

        // Run the caller's continuation on the pool, never on the writer thread (it would hold up the next commit).
        Done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
    };

    public static JournalOp Update(Envelope envelope, JobState to, int toAttempt)
    {
        var error = to is JobState.Retrying or JobState.Failed or JobState.Abandoned ? envelope.Error : null;
        return new JournalOp
        {
            Kind = JournalOpKind.Update,
            Id = envelope.Id.ToString(),
            State = (int)to,
            Attempt = toAttempt,
            DueAt = envelope.DueAtTicks,
            StartedAt = envelope.StartedAtTicks,
            FinishedAt = envelope.FinishedAtTicks,
            ErrorType = error?.GetType().FullName,
            Error = error?.Message,
            ErrorStack = error?.StackTrace,

            // The failed attempts only change on a failure: a success writes none (the column keeps what it had).
            Failures = error is not null ? MessageCodec.WriteFailures(envelope.Failures) : null,
        };
    }

    public static JournalOp DeleteKey(Limits.UniqueKey key, JobId holder) => new()
    {
        Kind = JournalOpKind.DeleteKey,
        Id = holder.ToString(),
        KeyType = key.JobType,
        KeyValue = key.Value,
    };

    public static JournalOp Delete(JobId id) => new() { Kind = JournalOpKind.Delete, Id = id.ToString() };

    public static JournalOp Signal(JournalOpKind kind, string name = "", long value = 0) => new()
    {
        Kind = kind,
        Id = name,
        DueAt = value,
        Done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
    };
}
