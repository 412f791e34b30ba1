namespace InProc;

/// <summary>A job that failed for good, kept for a person to inspect and re-run (<see cref="IJobMonitor.RequeueDeadLetter"/>).</summary>
public sealed class DeadLetter
{
    internal DeadLetter(JobId id, object message, string queue, int attempts, Exception exception, DateTimeOffset enqueuedAt, DateTimeOffset failedAt)
    {
        Id = id;
        Message = message;
        Queue = queue;
        Attempts = attempts;
        ExceptionType = exception.GetType().FullName ?? exception.GetType().Name;
        ExceptionMessage = exception.Message;
        StackTrace = exception.StackTrace;
        Exception = exception;
        EnqueuedAt = enqueuedAt;
        FailedAt = failedAt;
    }

    /// <summary>A dead letter read back from a durable store: the original exception is gone, its type, message and stack trace are kept.</summary>
    internal DeadLetter(JobId id, object message, string queue, int attempts, string exceptionType, string exceptionMessage, string? stackTrace, Exception standIn, DateTimeOffset enqueuedAt, DateTimeOffset failedAt)
    {
        Id = id;
        Message = message;
        Queue = queue;
        Attempts = attempts;
        ExceptionType = exceptionType;
        ExceptionMessage = exceptionMessage;
        StackTrace = stackTrace;
        Exception = standIn;
        EnqueuedAt = enqueuedAt;
        FailedAt = failedAt;
    }

    /// <summary>Gets the job's id.</summary>
    /// <value>The id.</value>
    public JobId Id { get; }

    /// <summary>Gets the job's message.</summary>
    /// <value>The message that was enqueued.</value>
    public object Message { get; }

    /// <summary>Gets the queue's name.</summary>
    /// <value>A queue name.</value>
    public string Queue { get; }

    /// <summary>Gets how many attempts ran.</summary>
    /// <value>At least 1.</value>
    public int Attempts { get; }

    /// <summary>Gets the full name of the last exception's type.</summary>
    /// <value>For example <c>System.Net.Http.HttpRequestException</c>.</value>
    public string ExceptionType { get; }

    /// <summary>Gets the last exception's message.</summary>
    /// <value>The message.</value>
    public string ExceptionMessage { get; }

    /// <summary>Gets the last exception's stack trace.</summary>
    /// <value>The stack trace, or <see langword="null"/> if the exception has none.</value>
    public string? StackTrace { get; }

    /// <summary>Gets the last exception itself.</summary>
    /// <value>The exception.</value>
    [System.Text.Json.Serialization.JsonIgnore]
    public Exception Exception { get; }

    /// <summary>Gets when the job was first enqueued or scheduled.</summary>
    /// <value>A UTC time.</value>
    public DateTimeOffset EnqueuedAt { get; }

    /// <summary>Gets when the last attempt failed.</summary>
    /// <value>A UTC time.</value>
    public DateTimeOffset FailedAt { get; }
}
