using InProc.Testing;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Faults;

/// <summary>
/// Issue 8: a service provider with InProc but no host and no test mode has nothing that would ever run a job,
/// so the first enqueue fails and says what to do, instead of accepting jobs that never run.
/// </summary>
public sealed class NoHostTests
{
    [Fact]
    public async Task EnqueueAsync_PlainProviderWithoutHostOrTestMode_ThrowsNamingTheFixes()
    {
        await using var provider = BuildProvider(_ => { });
        var jobs = provider.GetRequiredService<IJobQueue>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => jobs.EnqueueAsync(new Ping(1)).AsTask());

        Assert.Contains("host", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("UseSynchronousMode", error.Message, StringComparison.Ordinal);
        Assert.Contains("UseFakeMode", error.Message, StringComparison.Ordinal);
        Assert.Empty(provider.GetRequiredService<Probe>().Runs);
    }

    [Fact]
    public async Task TryEnqueueAndScheduleAsync_PlainProviderWithoutHostOrTestMode_ThrowToo()
    {
        await using var provider = BuildProvider(_ => { });
        var jobs = provider.GetRequiredService<IJobQueue>();

        Assert.Throws<InvalidOperationException>(() => jobs.TryEnqueue(new Ping(1), out _));
        await Assert.ThrowsAsync<InvalidOperationException>(() => jobs.ScheduleAsync(new Ping(2), TimeSpan.FromMinutes(1)).AsTask());
    }

    [Fact]
    public async Task EnqueueAsync_PlainProviderInSynchronousMode_StillRunsTheJob()
    {
        await using var provider = BuildProvider(b => b.UseSynchronousMode());
        var jobs = provider.GetRequiredService<IJobQueue>();

        var id = await jobs.EnqueueAsync(new Ping(1));

        Assert.Equal(new Ping(1), Assert.Single(provider.GetRequiredService<Probe>().Runs).Message);
        Assert.Equal(JobState.Succeeded, provider.GetRequiredService<IJobMonitor>().GetJob(id)!.State);
    }

    [Fact]
    public async Task EnqueueAsync_PlainProviderInFakeMode_StillRecordsTheJob()
    {
        await using var provider = BuildProvider(b => b.UseFakeMode());
        var jobs = provider.GetRequiredService<IJobQueue>();

        var id = await jobs.EnqueueAsync(new Ping(1));

        var recorded = Assert.Single(provider.GetRequiredService<FakeJobQueue>().Enqueued<Ping>());
        Assert.Equal(id, recorded.Id);
    }

    private static ServiceProvider BuildProvider(Action<InProcBuilder> mode)
    {
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)))
            .AddSingleton<Probe>();
        mode(services.AddInProc().AddJob<PingJob>());
        return services.BuildServiceProvider();
    }
}
