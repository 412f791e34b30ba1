using Microsoft.Extensions.Hosting;

namespace InProc.Hosting;

/// <summary>Starts the workers with the host and drains them when it stops.</summary>
internal sealed class InProcHostedService(InProcRuntime runtime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        runtime.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => runtime.StopAsync(cancellationToken);
}
