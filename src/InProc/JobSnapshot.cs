namespace InProc;

/// <summary>A job's state at one moment, as <see cref="IJobMonitor.GetJob"/> saw it. Serializes to JSON as is.</summary>
public sealed class JobSnapshot
{
    // Non-public, but System.Text.Json may use it: clients of a status endpoint can read a snapshot back.
    [System.Text.Json.Serialization.JsonConstructor]
    internal JobSnapshot(
        JobId id,
        string messageType,
        string queue,
        JobState state,
        int attempt,
        int maxAttempts,
        DateTimeOffset enqueuedAt,
        DateTimeOffset? startedAt,
        DateTimeOffset? finishedAt,
        DateTimeOffset? nextAttemptAt,
        double? progress,
        string? progressStatus,
        string? errorType,
        string? error,
        JobWaitReason? waitingOn = null)
    {
        Id = id;
        MessageType = messageType;
        Queue = queue;
        State = state;
        Attempt = attempt;
        MaxAttempts = maxAttempts;
        EnqueuedAt = enqueuedAt;
        StartedAt = startedAt;
        FinishedAt = finishedAt;
        NextAttemptAt = nextAttemptAt;
        Progress = progress;
        ProgressStatus = progressStatus;
        ErrorType = errorType;
        Error = error;
        WaitingOn = waitingOn;
    }

    /// <summary>Gets the job's id.</summary>
    /// <value>The id.</value>
    public JobId Id { get; }

    /// <summary>Gets the message type's name.</summary>
    /// <value>For example <c>SendWelcomeEmail</c>.</value>
    public string MessageType { get; }

    /// <summary>Gets the queue's name.</summary>
    /// <value>A queue name.</value>
    public string Queue { get; }

    /// <summary>Gets the job's state.</summary>
    /// <value>The state when the snapshot was taken.</value>
    public JobState State { get; }

    /// <summary>Gets the attempt that is running, ran last, or runs next.</summary>
    /// <value>1-based.</value>
    public int Attempt { get; }

    /// <summary>Gets how many attempts the retry policy allows.</summary>
    /// <value>At least 1.</value>
    public int MaxAttempts { get; }

    /// <summary>Gets when the job was enqueued or scheduled.</summary>
    /// <value>A UTC time.</value>
    public DateTimeOffset EnqueuedAt { get; }

    /// <summary>Gets when the last attempt started.</summary>
    /// <value>A UTC time, or <see langword="null"/> before the first attempt.</value>
    public DateTimeOffset? StartedAt { get; }

    /// <summary>Gets when the job finished (succeeded, failed for good, cancelled or abandoned).</summary>
    /// <value>A UTC time, or <see langword="null"/> while it is not finished.</value>
    public DateTimeOffset? FinishedAt { get; }

    /// <summary>Gets when a scheduled job or a waiting retry runs.</summary>
    /// <value>A UTC time while <see cref="State"/> is <see cref="JobState.Scheduled"/> or <see cref="JobState.Retrying"/>; otherwise <see langword="null"/>.</value>
    public DateTimeOffset? NextAttemptAt { get; }

    /// <summary>Gets the last progress the job reported.</summary>
    /// <value>From 0 to 1, or <see langword="null"/> if it reported none.</value>
    public double? Progress { get; }

    /// <summary>Gets the status text of the last progress report.</summary>
    /// <value>The text, or <see langword="null"/>.</value>
    public string? ProgressStatus { get; }

    /// <summary>Gets the full name of the last exception's type.</summary>
    /// <value>For example <c>System.TimeoutException</c>, or <see langword="null"/> when no attempt failed.</value>
    public string? ErrorType { get; }

    /// <summary>Gets the last exception's message.</summary>
    /// <value>The message, or <see langword="null"/> when no attempt failed.</value>
    public string? Error { get; }

    /// <summary>Gets the limit a job that could run is waiting on.</summary>
    /// <value>
    /// <see cref="JobWaitReason.ConcurrencyLimit"/> for an <see cref="JobState.Enqueued"/> job whose key has its limit of
    /// jobs running; <see cref="JobWaitReason.RateLimit"/> for a <see cref="JobState.Scheduled"/> job waiting for a permit
    /// (until <see cref="NextAttemptAt"/>); otherwise <see langword="null"/>.
    /// </value>
    public JobWaitReason? WaitingOn { get; }

    /// <summary>Gets a value indicating whether the job will not change state again.</summary>
    /// <value><see langword="true"/> for succeeded, failed, cancelled and abandoned jobs.</value>
    public bool IsFinished => State.IsFinal();
}
