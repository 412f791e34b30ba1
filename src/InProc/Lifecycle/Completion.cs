namespace InProc.Lifecycle;

/// <summary>What the lifecycle made of an attempt's result; the caller acts on <see cref="RetryScheduled"/>.</summary>
internal enum Completion
{
    Succeeded,

    /// <summary>The job is <see cref="JobState.Retrying"/> with its due time set: hand it to the scheduler.</summary>
    RetryScheduled,

    DeadLettered,

    Abandoned,

    /// <summary>The transition lost its compare-and-set (cancelled or abandoned meanwhile): nothing to do.</summary>
    Lost,
}
