namespace InProc.Execution;

/// <summary>
/// The runtime's stop signals, shared by the dispatchers and the drain: stopping (no new work, no retries),
/// abandoning (the drain ran out of time: skip what is still queued) and the token running jobs observe.
/// </summary>
internal sealed class RunState : IDisposable
{
    private readonly CancellationTokenSource _jobsStopping = new();
    private volatile bool _stopping;
    private volatile bool _abandoning;

    public bool IsStopping => _stopping;

    public bool IsAbandoning => _abandoning;

    /// <summary>Cancelled when the drain's budget ends: every running job's <see cref="JobContext.CancellationToken"/> follows it.</summary>
    public CancellationToken JobsToken => _jobsStopping.Token;

    public void BeginStopping() => _stopping = true;

    public Task BeginAbandoningAsync()
    {
        _abandoning = true;
        return _jobsStopping.CancelAsync();
    }

    public void Dispose() => _jobsStopping.Dispose();
}
