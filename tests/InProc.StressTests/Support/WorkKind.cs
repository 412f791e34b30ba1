namespace InProc.StressTests.Support;

/// <summary>What a stress job does, chosen by its message so that every run of the same message behaves the same.</summary>
internal enum WorkKind
{
    /// <summary>Records its success and returns.</summary>
    Succeed,

    /// <summary>Throws on every run: ends in the dead letters (after its retries, if it has any).</summary>
    Throw,

    /// <summary>Throws on the first run of its id and succeeds on every later one (a retry or a re-queued dead letter).</summary>
    FailFirstRun,

    /// <summary>Yields <c>Spins</c> times, checking its token before each yield, then succeeds.</summary>
    Cooperative,

    /// <summary>Waits for its token and nothing else: it can only end by being cancelled at shutdown.</summary>
    UntilCancelled,

    /// <summary>Waits for the test to release <see cref="Ledger.Gate"/> (or for its token), then succeeds.</summary>
    WaitForGate,
}
