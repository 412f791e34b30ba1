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

    /// <summary>Progress, error, failed attempts, trace: null for a plain success (the common case), so the ring copies 2 references, not 7.</summary>
    public FinishedExtras? Extras;
    public long CreatedAtTicks;
    public long StartedAtTicks;
    public long FinishedAtTicks;
    public JobState State;
    public int Attempt;

    /// <summary>False once a re-run of the same job made this record stale.</summary>
    public bool Live;

    /// <summary>Writes the record of <paramref name="envelope"/> in place (the ring's slot), field by field: no struct copy.</summary>
    public static void Write(ref FinishedRecord record, Envelope envelope)
    {
        record.Id = envelope.Id;
        record.Registration = envelope.Registration;
        record.Extras = FinishedExtras.From(envelope);
        record.CreatedAtTicks = envelope.CreatedAtTicks;
        record.StartedAtTicks = envelope.StartedAtTicks;
        record.FinishedAtTicks = envelope.FinishedAtTicks;
        record.State = envelope.State;
        record.Attempt = envelope.Attempt;
        record.Live = true;
    }

    public readonly JobDetail ToDetail() =>
        new(ToSnapshot(), null, Snapshots.TraceId(Extras?.TraceParent), Extras?.Failures ?? []);

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
        Extras?.Progress,
        Extras?.ProgressStatus,
        Extras?.ErrorType,
        Extras?.Error);
}

/// <summary>What a finished job keeps beyond its state and times, when it has any of it.</summary>
internal sealed class FinishedExtras
{
    public double? Progress { get; private init; }

    public string? ProgressStatus { get; private init; }

    public string? ErrorType { get; private init; }

    public string? Error { get; private init; }

    public JobAttempt[]? Failures { get; private init; } // null for a job that never failed: a success keeps nothing

    public object? TraceParent { get; private init; }

    public static FinishedExtras? From(Envelope envelope)
    {
        var error = envelope.State is JobState.Failed or JobState.Abandoned ? envelope.Error : null;
        var failures = envelope.Failures is { Length: > 0 } recorded ? recorded : null;
        var progress = envelope.Progress;
        var status = envelope.ProgressStatus;
        var trace = envelope.TraceParentBox;
        if (error is null && failures is null && progress is null && status is null && trace is null)
        {
            return null;
        }

        return new FinishedExtras
        {
            Progress = progress,
            ProgressStatus = status,
            ErrorType = error?.GetType().FullName,
            Error = error?.Message,
            Failures = failures,
            TraceParent = trace,
        };
    }
}
