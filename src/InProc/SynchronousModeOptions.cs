namespace InProc;

/// <summary>
/// Settings of synchronous mode, given to <see cref="InProcBuilder.UseSynchronousMode(Action{SynchronousModeOptions})"/>.
/// </summary>
public sealed class SynchronousModeOptions
{
    /// <summary>Gets or sets a value indicating whether a failed job is retried by its retry policy, as in production.</summary>
    /// <value>
    /// The default is <see langword="false"/>: the first failure is final, the job goes to the dead letters and its
    /// exception is thrown to the caller. When <see langword="true"/>, a failure that the policy retries is scheduled
    /// for its backoff as in production and <see cref="IJobQueue.EnqueueAsync{TMessage}"/> returns normally (the job's
    /// state is <see cref="JobState.Retrying"/>); the retry runs when the <see cref="TimeProvider"/> reaches its time
    /// (with a fake clock: when the test advances it past the backoff, on the test's thread). The call that runs the
    /// attempt which fails for good throws, unless that attempt ran from the clock (see
    /// <see cref="InProcBuilder.UseSynchronousMode()"/>).
    /// </value>
    public bool EnableRetries { get; set; }
}
