namespace InProc;

/// <summary>What <see cref="InProcOptions.OnJobFailed"/> is told about a failed attempt.</summary>
public sealed class JobFailedArguments
{
    internal JobFailedArguments(JobId id, object message, string queue, int attempt, Exception exception, DateTimeOffset? nextAttemptAt, bool deadLettered)
    {
        DeadLettered = deadLettered;
        Id = id;
        Message = message;
        Queue = queue;
        Attempt = attempt;
        Exception = exception;
        NextAttemptAt = nextAttemptAt;
    }

    /// <summary>Gets the job's id.</summary>
    /// <value>The id <see cref="IJobQueue.EnqueueAsync{TMessage}"/> returned.</value>
    public JobId Id { get; }

    /// <summary>Gets the job's message.</summary>
    /// <value>The message that was enqueued.</value>
    public object Message { get; }

    /// <summary>Gets the name of the job's queue.</summary>
    /// <value>A queue name.</value>
    public string Queue { get; }

    /// <summary>Gets the attempt that failed.</summary>
    /// <value>1 for the first attempt.</value>
    public int Attempt { get; }

    /// <summary>Gets what the attempt threw; a <see cref="TimeoutException"/> when it ran past its timeout.</summary>
    /// <value>The exception.</value>
    public Exception Exception { get; }

    /// <summary>Gets when the next attempt runs, or <see langword="null"/> when the job went to the dead letters.</summary>
    /// <value>The time of the next attempt, if any.</value>
    public DateTimeOffset? NextAttemptAt { get; }

    /// <summary>Gets a value indicating whether the job will be attempted again.</summary>
    /// <value>
    /// <see langword="false"/> when this failure was its last attempt in this process: it went to the dead letters
    /// (<see cref="DeadLettered"/>), or InProc is stopping and the job is abandoned instead of retried
    /// (<see cref="InProcOptions.OnAbandoned"/> follows).
    /// </value>
    public bool WillRetry => NextAttemptAt.HasValue;

    /// <summary>Gets a value indicating whether this failure sent the job to the dead letters.</summary>
    /// <value>
    /// <see langword="true"/> for a job that failed for good; <see langword="false"/> when it will be retried, or
    /// when it failed while InProc was stopping with retries left (then it is abandoned and reported, not dead).
    /// </value>
    public bool DeadLettered { get; }
}
