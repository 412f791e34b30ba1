using InProc.Execution;

namespace InProc.Store;

/// <summary>Builds <see cref="JobSnapshot"/>s from live envelopes and dead letters.</summary>
internal static class Snapshots
{
    public static JobSnapshot Of(Envelope envelope)
    {
        // Read the state first: the other fields are written before each transition, so they are at least as new.
        var state = envelope.State;

        var error = ShowsError(state) ? envelope.Error : null;
        return Of(
            envelope.Id,
            envelope.Registration.MessageType.Name,
            envelope.Registration.QueueName,
            state,
            envelope.Attempt,
            envelope.Registration.Retry.MaxAttempts,
            envelope.CreatedAt,
            envelope.StartedAt,
            envelope.FinishedAt,
            envelope.DueAt,
            envelope.Progress,
            envelope.ProgressStatus,
            error?.GetType().FullName,
            error?.Message,
            envelope.Limits?.WaitingOn);
    }

    /// <summary>
    /// A snapshot from stored fields (a shared store's row, which may be another host's job), shown by the same rules as a
    /// live envelope: the finish time once final, the due time while scheduled or retrying, the error while it matters.
    /// </summary>
    public static JobSnapshot Of(
        JobId id, string messageType, string queue, JobState state, int attempt, int maxAttempts, DateTimeOffset createdAt, DateTimeOffset? startedAt,
        DateTimeOffset? finishedAt, DateTimeOffset? dueAt, double? progress, string? progressStatus, string? errorType, string? error, JobWaitReason? waitingOn = null)
    {
        var showsError = ShowsError(state);
        return new JobSnapshot(
            id, messageType, queue, state, attempt, maxAttempts, createdAt, startedAt,
            state.IsFinal() ? finishedAt : null,
            state is JobState.Scheduled or JobState.Retrying ? dueAt : null,
            progress,
            progressStatus,
            showsError ? errorType : null,
            showsError ? error : null,
            state is JobState.Enqueued or JobState.Scheduled ? waitingOn : null);
    }

    /// <summary>The error is shown while it matters: a waiting retry and a failed (or abandoned) job. A success shows none.</summary>
    private static bool ShowsError(JobState state) => state is JobState.Retrying or JobState.Failed or JobState.Abandoned;

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
