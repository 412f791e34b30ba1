using InProc.Benchmarks.Infrastructure;
using InProc.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Benchmarks.Peers;

/// <summary>
/// InProc as an application would set it up (AddInProc, AddJob, default options but the queue's size), without a
/// generic host: the internal runtime is resolved and started directly, which is what the hosted service does.
/// </summary>
public sealed class InProcPeer : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public InProcPeer(int workers, int capacity, bool start = true, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddInProc(o => o.AddQueue("default", q =>
            {
                q.Workers = workers;
                q.Capacity = capacity;
            }))
            .AddJob<NoopJob>()
            .AddJob<IoJob>()
            .AddJob<LatencyJob>();
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostApplicationLifetime, BenchLifetime>(); // the bench starts the runtime itself, as a host would
        _services = services.BuildServiceProvider();
        Runtime = _services.GetRequiredService<InProcRuntime>();
        Queue = _services.GetRequiredService<IJobQueue>();
        if (start)
        {
            Runtime.Start();
        }
    }

    internal InProcRuntime Runtime { get; }

    public IJobQueue Queue { get; }

    public int Waiting => Runtime.Queues[0].Waiting;

    public void Start() => Runtime.Start();

    /// <summary>
    /// Takes every waiting job out of a runtime whose workers were never started and forgets its monitor record, as if
    /// it had been rejected: the queue and the index are back to empty, with their grown capacity kept.
    /// </summary>
    public int Drain()
    {
        var waiting = Runtime.Queues[0].TakeWaiting();
        foreach (var envelope in waiting)
        {
            Runtime.Lifecycle.Forget(envelope);
        }

        return waiting.Count;
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }
}
