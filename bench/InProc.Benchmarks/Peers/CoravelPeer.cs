using Coravel;
using Coravel.Invocable;
using Coravel.Queuing.Interfaces;
using InProc.Benchmarks.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InProc.Benchmarks.Peers;

/// <summary>
/// Coravel 6.0.2's queue as its docs set it up (<c>services.AddQueue()</c>, an <see cref="IQueue"/> injected where jobs
/// are queued, invocables registered as transient services), without a generic host: its hosted service is resolved
/// and started directly when <c>startHost</c> is true.
/// </summary>
/// <remarks>
/// How Coravel consumes (read from its source, 6.0.2): the hosted service wakes on a timer every
/// <c>Coravel:Queue:ConsummationDelay</c> seconds (default 30; an integer, so 1 s is the least it can be set to, and
/// this peer sets 1), takes <em>everything</em> queued and runs it all at once (<c>Task.WhenAll</c>: no worker count,
/// no concurrency limit), one DI scope per invocable. So a job waits for the next tick: ~0.5 s on average at best.
/// The throughput benchmark calls the same <c>ConsumeQueueAsync</c> the timer calls, right after the batch is queued,
/// which prices Coravel's per-job work without the polling wait (say so wherever the number is quoted).
/// </remarks>
public sealed class CoravelPeer : IAsyncDisposable
{
    /// <summary>The no-op body as an async task, cached: queueing it allocates only Coravel's own wrapper.</summary>
    public static readonly Func<Task> NoopTask = static () => Work.RunNoop();

    private readonly ServiceProvider _services;
    private readonly IHostedService[] _hosted;
    private readonly bool _started;

    public CoravelPeer(bool startHost)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Coravel:Queue:ConsummationDelay"] = "1" })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddQueue();
        services.AddTransient<CoravelNoopInvocable>();
        services.AddTransient<CoravelLatencyInvocable>();
        _services = services.BuildServiceProvider();
        Queue = _services.GetRequiredService<IQueue>();
        _hosted = [.. _services.GetServices<IHostedService>()];
        _started = startHost;
        if (startHost)
        {
            foreach (var hosted in _hosted)
            {
                hosted.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
            }
        }
    }

    public IQueue Queue { get; }

    /// <summary>Jobs queued and not yet taken by a consumption pass.</summary>
    public int Waiting => Queue.GetMetrics().WaitingCount();

    /// <summary>One consumption pass, the one Coravel's timer runs: every queued job, all at once.</summary>
    public Task ConsumeAsync() => ((Coravel.Queuing.Queue)Queue).ConsumeQueueAsync();

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            foreach (var hosted in _hosted)
            {
                await hosted.StopAsync(CancellationToken.None);
            }
        }

        await _services.DisposeAsync();
    }
}

/// <summary>The no-op job as a Coravel invocable.</summary>
public sealed class CoravelNoopInvocable : IInvocable
{
    public Task Invoke() => Work.RunNoop();
}

/// <summary>The latency harness's job as a Coravel invocable with a payload (its slot number).</summary>
public sealed class CoravelLatencyInvocable : IInvocable, IInvocableWithPayload<LatencyMessage>
{
    public LatencyMessage Payload { get; set; } = new(0);

    public Task Invoke()
    {
        Harness.LatencyHarness.Started(Payload.Index);
        return Work.RunNoop();
    }
}
