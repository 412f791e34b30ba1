using InProc.Execution;

namespace InProc.Store;

/// <summary>
/// What is kept of a finished job: a value type in a preallocated ring, so retaining 10,000 finished jobs keeps
/// no envelope or message alive and a finished job's objects die young (no gen1 promotion from the ring).
/// </summary>
internal struct FinishedRecord
{
    public JobId Id;
    public JobRegistration? Registration;
    public JobState State;
    public int Attempt;
    public long CreatedAtTicks;
    public long StartedAtTicks;
    public long FinishedAtTicks;
    public double Progress;
    public string? ProgressStatus;
    public string? ErrorType;
    public string? Error;

    public JobAttempt[]? Failures; // null for a job that never failed: a success keeps nothing
    public object? TraceParent;

    /// <summary>False once a re-run of the same job made this record stale.</summary>
    public bool Live;

    public static FinishedRecord From(Envelope envelope)
    {
        var showsError = envelope.State is JobState.Failed or JobState.Abandoned;
        var error = showsError ? envelope.Error : null;
        return new FinishedRecord
        {
            Id = envelope.Id,
            Registration = envelope.Registration,
            State = envelope.State,
            Attempt = envelope.Attempt,
            CreatedAtTicks = envelope.CreatedAt.UtcTicks,
            StartedAtTicks = envelope.StartedAt?.UtcTicks ?? 0,
            FinishedAtTicks = envelope.FinishedAt?.UtcTicks ?? 0,
            Progress = envelope.Progress ?? double.NaN,
            ProgressStatus = envelope.ProgressStatus,
            ErrorType = error?.GetType().FullName,
            Error = error?.Message,
            Failures = envelope.Failures is { Length: > 0 } failures ? failures : null,
            TraceParent = envelope.TraceParentBox,
            Live = true,
        };
    }

    public readonly JobDetail ToDetail() =>
        new(ToSnapshot(), null, Snapshots.TraceId(TraceParent), Failures ?? []);

    public readonly JobSnapshot ToSnapshot() => new(
        Id,
        Registration!.MessageType.Name,
        Registration.QueueName,
        State,
        Attempt,
        Registration.Retry.MaxAttempts,
        new DateTimeOffset(CreatedAtTicks, TimeSpan.Zero),
        StartedAtTicks == 0 ? null : new DateTimeOffset(StartedAtTicks, TimeSpan.Zero),
        FinishedAtTicks == 0 ? null : new DateTimeOffset(FinishedAtTicks, TimeSpan.Zero),
        null,
        double.IsNaN(Progress) ? null : Progress,
        ProgressStatus,
        ErrorType,
        Error);
}
