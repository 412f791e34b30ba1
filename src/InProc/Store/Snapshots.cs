using InProc.Execution;

namespace InProc.Store;

/// <summary>Builds <see cref="JobSnapshot"/>s from live envelopes and dead letters.</summary>
internal static class Snapshots
{
    public static JobSnapshot Of(Envelope envelope)
    {
        // Read the state first: the other fields are written before each transition, so they are at least as new.
        var state = envelope.State;

        // The error is shown while it matters: a waiting retry and a failed (or abandoned) job. A success shows none.
        var error = state is JobState.Retrying or JobState.Failed or JobState.Abandoned ? envelope.Error : null;
        return new JobSnapshot(
            envelope.Id,
            envelope.Registration.MessageType.Name,
            envelope.Registration.QueueName,
            state,
            envelope.Attempt,
            envelope.Registration.Retry.MaxAttempts,
            envelope.CreatedAt,
            envelope.StartedAt,
            state.IsFinal() ? envelope.FinishedAt : null,
            state is JobState.Scheduled or JobState.Retrying ? envelope.DueAt : null,
            envelope.Progress,
            envelope.ProgressStatus,
            error?.GetType().FullName,
            error?.Message,
            state is JobState.Enqueued or JobState.Scheduled ? envelope.Limits?.WaitingOn : null);
    }

    public static JobDetail DetailOf(Envelope envelope) =>
        new(Of(envelope), envelope.Message, TraceId(envelope.TraceParentBox), envelope.Failures);

    public static JobDetail DetailOf(DeadLetter letter, Envelope envelope) =>
        new(Of(letter, envelope), letter.Message, TraceId(envelope.TraceParentBox), envelope.Failures);

    public static string? TraceId(object? traceParent) =>
        traceParent is System.Diagnostics.ActivityContext context ? context.TraceId.ToHexString() : null;

    public static JobSnapshot Of(DeadLetter letter, Envelope envelope) => new(
        letter.Id,
        envelope.Registration.MessageType.Name,
        letter.Queue,
        JobState.Failed,
        letter.Attempts,
        envelope.Registration.Retry.MaxAttempts,
        letter.EnqueuedAt,
        envelope.StartedAt,
        letter.FailedAt,
        null,
        envelope.Progress,
        envelope.ProgressStatus,
        letter.ExceptionType,
        letter.ExceptionMessage);
}
