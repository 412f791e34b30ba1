namespace InProc;

/// <summary>Settings of one job class, given to <see cref="InProcBuilder.AddJob{TJob}(Action{JobOptions}?)"/>.</summary>
public sealed class JobOptions
{
    /// <summary>Gets or sets the queue the job runs on.</summary>
    /// <value>A name configured with <see cref="InProcOptions.AddQueue(string, Action{QueueOptions}?)"/>. The default is <c>"default"</c>.</value>
    public string Queue { get; set; } = Queues.QueueConstants.DefaultQueueName;

    /// <summary>Gets or sets how long one attempt may run before its <see cref="JobContext.CancellationToken"/> is cancelled.</summary>
    /// <value>A positive time, or <see langword="null"/> for <see cref="InProcOptions.DefaultTimeout"/>. The default is <see langword="null"/>.</value>
    /// <remarks>An attempt that ends because of its timeout is a failure (with a <see cref="TimeoutException"/>) and is retried by the retry policy.</remarks>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Gets or sets the job's retry policy.</summary>
    /// <value>A policy, or <see langword="null"/> for <see cref="InProcOptions.DefaultRetry"/>. The default is <see langword="null"/>.</value>
    public RetryPolicy? Retry { get; set; }
}
