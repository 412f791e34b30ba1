namespace InProc;

/// <summary>How long a unique job's key keeps a duplicate out (see <see cref="JobOptions{TMessage}.UniqueBy"/>).</summary>
public enum UniqueScope
{
    /// <summary>Until the job finishes: succeeds, goes to the dead letters, is cancelled or abandoned. Retries and delays keep the key.</summary>
    UntilFinished = 0,

    /// <summary>Until the job's first attempt starts: a duplicate enqueued while it runs is a new job.</summary>
    UntilStarted = 1,

    /// <summary>For <see cref="UniqueJobOptions.TimeToLive"/> after the enqueue, whatever the job does meanwhile (a throttle).</summary>
    Window = 2,
}
