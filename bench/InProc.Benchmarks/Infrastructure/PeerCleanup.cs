namespace InProc.Benchmarks.Infrastructure;

/// <summary>Cleanup shared by the benchmark classes, each of which sets up only the peers its current target needs.</summary>
public static class PeerCleanup
{
    /// <summary>Disposes every peer that was set up, in order; the ones left null are skipped.</summary>
    public static async Task DisposeAllAsync(params IAsyncDisposable?[] peers)
    {
        foreach (var peer in peers)
        {
            if (peer is not null)
            {
                await peer.DisposeAsync();
            }
        }
    }
}
