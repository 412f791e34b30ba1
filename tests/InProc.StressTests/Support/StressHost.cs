using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InProc.StressTests.Support;

/// <summary>
/// A real generic host on the system clock with two queues and the stress jobs, its hooks wired to a
/// <see cref="Ledger"/>. Records are kept for the whole run, so the monitor can be checked against the ledger.
/// </summary>
internal sealed class StressHost : IAsyncDisposable
{
    /// <summary>Bounds every wait: generous for 2 busy cores, and never what a test measures.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>How long the ledger may see no new outcome before the missing ones are reported.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(15);

    public const string Wide = "wide";
    public const string Narrow = "narrow";

    private const int Retained = 200_000; // above any run's job count: no record or dead letter is forgotten

    private bool _stopped;

    private StressHost(IHost host, Ledger ledger)
    {
        Host = host;
        Ledger = ledger;
    }

    public IHost Host { get; }

    public Ledger Ledger { get; }

    public IJobQueue Jobs => Host.Services.GetRequiredService<IJobQueue>();

    public IJobMonitor Monitor => Host.Services.GetRequiredService<IJobMonitor>();

    /// <summary>
    /// Builds (does not start) the host. Defaults: "wide" (capacity 256, 4 workers, Wait) runs <see cref="Work"/> with no
    /// retry; "narrow" (capacity 64, 2 workers, Reject) runs <see cref="RetriedWork"/> with 3 attempts and no delay;
    /// a 20 s drain and a 10 s grace. <paramref name="configure"/> runs after the defaults.
    /// </summary>
    public static StressHost Create(Action<InProcOptions>? configure = null)
    {
        var ledger = new Ledger();
        var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton(TimeProvider.System);
                services.AddSingleton(ledger);
                services.Configure<HostOptions>(h => h.ShutdownTimeout = Patience);
                services.AddInProc(o =>
                    {
                        o.AddQueue(Wide, q => (q.Capacity, q.Workers, q.FullMode) = (256, 4, QueueFullMode.Wait));
                        o.AddQueue(Narrow, q => (q.Capacity, q.Workers, q.FullMode) = (64, 2, QueueFullMode.Reject));
                        o.ShutdownTimeout = TimeSpan.FromSeconds(20);
                        o.ShutdownGracePeriod = TimeSpan.FromSeconds(10);
                        o.FinishedJobRetention = Retained;
                        o.DeadLetterCapacity = Retained;
                        o.OnAbandoned = ledger.Abandoned;
                        o.OnJobFailed = ledger.Failed;
                        configure?.Invoke(o);
                    })
                    .AddJob<WorkJob>(j => (j.Queue, j.Retry) = (Wide, RetryPolicy.None))
                    .AddJob<RetriedWorkJob>(j => (j.Queue, j.Retry) = (Narrow, RetryPolicy.Fixed(3, TimeSpan.Zero)));
            })
            .Build();
        return new StressHost(host, ledger);
    }

    public Task StartAsync() => Host.StartAsync().WaitAsync(Patience);

    /// <summary>Stops the host (InProc drains); returns how long the stop took on the system clock.</summary>
    public async Task<TimeSpan> StopAsync()
    {
        var started = TimeProvider.System.GetTimestamp();
        _stopped = true;
        await Host.StopAsync().WaitAsync(Patience);
        return TimeProvider.System.GetElapsedTime(started);
    }

    /// <summary>Starts the stop and returns it without waiting, for a test that races it.</summary>
    public Task BeginStopAsync()
    {
        _stopped = true;
        return Host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await Host.StopAsync().WaitAsync(Patience);
        }

        Host.Dispose();
    }
}
