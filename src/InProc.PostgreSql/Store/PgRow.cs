using InProc.Execution;
using InProc.Store;
using Npgsql;

namespace InProc.PostgreSql.Store;

/// <summary>One row of the jobs table (<see cref="PgSql.Columns"/>, in that order), and what the store builds from it.</summary>
internal sealed class PgRow
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public required string Queue { get; init; }
    public JobState State { get; init; }
    public int Attempt { get; init; }
    public required byte[] Payload { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? ErrorType { get; init; }
    public string? Error { get; init; }
    public string? ErrorStack { get; init; }
    public string? Failures { get; init; }
    public bool Recovered { get; init; }
    public string? LeaseOwner { get; init; }
    public double? Progress { get; init; }
    public string? ProgressStatus { get; init; }

    public static PgRow Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        Type = r.GetString(1),
        Queue = r.GetString(2),
        State = (JobState)r.GetInt16(3),
        Attempt = r.GetInt32(4),
        Payload = r.GetFieldValue<byte[]>(5),
        CreatedAt = Time(r, 6)!.Value,
        DueAt = Time(r, 7)!.Value,
        StartedAt = Time(r, 8),
        FinishedAt = Time(r, 9),
        ErrorType = r.IsDBNull(10) ? null : r.GetString(10),
        Error = r.IsDBNull(11) ? null : r.GetString(11),
        ErrorStack = r.IsDBNull(12) ? null : r.GetString(12),
        Failures = r.IsDBNull(13) ? null : r.GetString(13),
        Recovered = r.GetBoolean(14),
        LeaseOwner = r.IsDBNull(15) ? null : r.GetString(15),
        Progress = r.IsDBNull(16) ? null : r.GetDouble(16),
        ProgressStatus = r.IsDBNull(17) ? null : r.GetString(17),
    };

    /// <summary>The envelope for this row: state <paramref name="state"/> here, attempt as stored; null with the reason when it cannot be read.</summary>
    public Envelope? Rebuild(JobRegistration registration, MessageCodec codec, JobState state, out string? reason)
    {
        if (codec.Read(Payload, registration.MessageType, out reason) is not { } message)
        {
            return null;
        }

        var envelope = registration.CreateEnvelope(message, JobId.Parse(Id), CreatedAt, Attempt, captureTrace: false);
        if (state != JobState.Enqueued)
        {
            envelope.TryTransition(JobState.Enqueued, Attempt, state, Attempt);
        }

        envelope.DueAt = State is JobState.Scheduled or JobState.Retrying ? DueAt : null;
        envelope.StartedAt = StartedAt;
        envelope.FinishedAt = FinishedAt;
        envelope.RecoveredAttempt = Recovered ? Attempt : 0;
        if (ErrorType is not null)
        {
            envelope.Error = new StoredError(ErrorType, Error ?? "", ErrorStack);
        }

        foreach (var failure in MessageCodec.ReadFailures(Failures))
        {
            envelope.AddFailure(failure);
        }

        return envelope;
    }

    /// <summary>The row as the monitor shows it (any host's job, registered here or not).</summary>
    public JobSnapshot Snapshot(JobRegistration? registration)
    {
        var name = registration?.MessageType.Name ?? Type[(Type.LastIndexOf('.') + 1)..];
        return Snapshots.Of(
            JobId.Parse(Id), name, Queue, State, Attempt, registration?.Retry.MaxAttempts ?? Attempt, CreatedAt, StartedAt,
            FinishedAt, DueAt, Progress, ProgressStatus, ErrorType, Error);
    }

    private static DateTimeOffset? Time(NpgsqlDataReader r, int i) =>
        r.IsDBNull(i) ? null : new DateTimeOffset(DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc));
}

/// <summary>An error read back from a row: the type name, message and stack of the exception another attempt threw.</summary>
internal sealed class StoredError(string type, string message, string? stack) : Exception(message)
{
    public string TypeName { get; } = type;

    public override string? StackTrace => stack;

    public override string ToString() => TypeName + ": " + Message + (stack is null ? "" : Environment.NewLine + stack);
}
