using InProc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InProc.Tests.Support;

/// <summary>A real generic host with InProc, a fake clock and a <see cref="Probe"/>, stopped on dispose.</summary>
internal sealed class TestHost : IAsyncDisposable
{
    /// <summary>Bounds every wait in a test: generous, and never the thing a test measures.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private TestHost(IHost host, TimerAwareFakeTimeProvider clock)
    {
        Host = host;
        Clock = clock;
    }

    public IHost Host { get; }

    public TimerAwareFakeTimeProvider Clock { get; }

    public IServiceProvider Services => Host.Services;

    public IJobQueue Jobs => Services.GetRequiredService<IJobQueue>();

    public IJobMonitor Monitor => Services.GetRequiredService<IJobMonitor>();

    public Probe Probe => Services.GetRequiredService<Probe>();

    public Gates Gates => Services.GetRequiredService<Gates>();

    public static IHost Build(Action<InProcOptions>? options, Action<InProcBuilder>? jobs, Action<IServiceCollection>? services = null, TimerAwareFakeTimeProvider? clock = null)
    {
        var builder = new HostBuilder().ConfigureServices(s =>
        {
            s.AddSingleton<TimeProvider>(clock ?? new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
            s.AddSingleton<Probe>();
            s.AddSingleton<Gates>();
            var inproc = s.AddInProc(options);
            jobs?.Invoke(inproc);
            services?.Invoke(s);
        });
        return builder.Build();
    }

    public static async Task<TestHost> StartAsync(Action<InProcOptions>? options, Action<InProcBuilder>? jobs, Action<IServiceCollection>? services = null, bool start = true)
    {
        var clock = new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var host = Build(options, jobs, services, clock);
        if (start)
        {
            await host.StartAsync().WaitAsync(Patience);
        }

        return new TestHost(host, clock);
    }

    /// <summary>Stops the host; with a fake clock the drain only times out when a test advances it.</summary>
    public Task StopAsync() => Host.StopAsync();

    /// <summary>Completes when job <paramref name="id"/> reaches <paramref name="state"/> (checked now, then on every state change).</summary>
    public Task<JobSnapshot> WaitForStateAsync(JobId id, JobState state) => WaitForStateAsync(Services, id, state);

    /// <summary>Completes when job <paramref name="id"/> reaches <paramref name="state"/> on attempt <paramref name="attempt"/>.</summary>
    public Task<JobSnapshot> WaitForStateAsync(JobId id, JobState state, int attempt) =>
        WaitForAsync(Services, id, s => s.State == state && s.Attempt == attempt);

    public static Task<JobSnapshot> WaitForStateAsync(IServiceProvider services, JobId id, JobState state) =>
        WaitForAsync(services, id, s => s.State == state);

    public static async Task<JobSnapshot> WaitForAsync(IServiceProvider services, JobId id, Func<JobSnapshot, bool> condition)
    {
        var feed = services.GetRequiredService<InProc.Hosting.InProcRuntime>().Lifecycle.Feed;
        var monitor = services.GetRequiredService<IJobMonitor>();
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var observer = new ChangeObserver(e =>
        {
            if (e.Id == id && monitor.GetJob(id) is { } snapshot && condition(snapshot))
            {
                reached.TrySetResult();
            }
        });

        feed.Subscribe(observer);
        try
        {
            if (monitor.GetJob(id) is not { } now || !condition(now))
            {
                await reached.Task.WaitAsync(Patience);
            }

            return monitor.GetJob(id)!;
        }
        finally
        {
            feed.Unsubscribe(observer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var cancel = new CancellationTokenSource(Patience);
        var stopping = Host.StopAsync(cancel.Token);

        // Let any drain timer expire on the fake clock so a test that left jobs blocked still ends.
        while (!stopping.IsCompleted)
        {
            await Task.WhenAny(stopping, Clock.WaitForActiveTimersAsync(1, cancel.Token));
            Clock.AdvanceStepwise(TimeSpan.FromMinutes(1));
        }

        await stopping;

        Host.Dispose();
    }
}
