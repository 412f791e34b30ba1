namespace InProc.Execution;

/// <summary>How one attempt ended, as the executor saw it.</summary>
internal enum AttemptOutcome
{
    /// <summary>The job returned normally.</summary>
    Succeeded,

    /// <summary>The job (or its middleware, DI activation or timeout) failed: see <see cref="AttemptResult.Error"/>.</summary>
    Failed,

    /// <summary>The shutdown cancelled it: not the job's failure, but it did not finish.</summary>
    StoppedByShutdown,
}

/// <summary>What <see cref="JobExecutor"/> returns instead of calling back: the lifecycle decides what follows.</summary>
internal readonly record struct AttemptResult(AttemptOutcome Outcome, Exception? Error)
{
    public static AttemptResult Success => new(AttemptOutcome.Succeeded, null);
}
