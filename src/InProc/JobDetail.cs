namespace InProc;

/// <summary>
/// Everything the monitor knows of one job, for a dashboard's job page: the snapshot, the message while the job is
/// active (or a dead letter), its failed attempts and the trace it belongs to. Not meant for a public status
/// endpoint: the message and the errors are the application's data.
/// </summary>
public sealed class JobDetail
{
    internal JobDetail(JobSnapshot job, object? message, string? traceId, IReadOnlyList<JobAttempt> failedAttempts)
    {
        Job = job;
        Message = message;
        TraceId = traceId;
        FailedAttempts = failedAttempts;
    }

    /// <summary>Gets the job's snapshot.</summary>
    /// <value>The same as <see cref="IJobMonitor.GetJob(JobId)"/> returns.</value>
    public JobSnapshot Job { get; }

    /// <summary>Gets the job's message.</summary>
    /// <value>The message while the job is queued, scheduled, retrying or running, or a dead letter; <see langword="null"/>
    /// once it finished otherwise (finished records keep no message) or was cancelled.</value>
    public object? Message { get; }

    /// <summary>Gets the W3C trace id of the activity that enqueued the job.</summary>
    /// <value>32 hexadecimal characters, or <see langword="null"/> when nothing was traced at enqueue.</value>
    public string? TraceId { get; }

    /// <summary>Gets the attempts that failed, oldest first.</summary>
    /// <value>Empty for a job that never failed.</value>
    public IReadOnlyList<JobAttempt> FailedAttempts { get; }
}
