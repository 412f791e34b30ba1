using Microsoft.Extensions.Hosting;

namespace InProc.Benchmarks.Peers;

/// <summary>Stands for the host in benchmarks that build a bare service provider and start InProc's runtime themselves.</summary>
internal sealed class BenchLifetime : IHostApplicationLifetime
{
    public CancellationToken ApplicationStarted => CancellationToken.None;

    public CancellationToken ApplicationStopping => CancellationToken.None;

    public CancellationToken ApplicationStopped => CancellationToken.None;

    public void StopApplication()
    {
    }
}
