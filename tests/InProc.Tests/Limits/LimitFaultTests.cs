using InProc.Hosting;
using InProc.Testing;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Limits;

/// <summary>Key selectors are user code: whatever they do, the caller is told or the job ends, and nothing leaks.</summary>
public sealed class LimitFaultTests
{
    private static Func<Keyed, object?> Selector => m => m.Mode switch
    {
        "throw" => throw new FormatException("no key in this message"),
        "null" => null,
        _ => m.Key,
    };

    [Theory]
    [InlineData("throw", "threw FormatException")]
    [InlineData("null", "returned null")]
    public async Task UniqueBy_SelectorFailsAtEnqueue_CallerGetsInProcsExceptionAndNoJobExists(string mode, string says)
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<KeyedJob, Keyed>(j => j.UniqueBy(Selector)), s => s.AddSingleton<KeyTracker>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Jobs.EnqueueAsync(new Keyed("k", 1, mode)).AsTask());

        Assert.Contains("UniqueBy key selector of Keyed " + says, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Monitor.GetJobs(new JobQuery()).TotalCount);
        Assert.Equal(0, host.Services.GetRequiredService<InProcRuntime>().UniqueKeys.Count);
        Assert.False((await host.Jobs.EnqueueWithResultAsync(new Keyed("k", 2))).IsDuplicate); // the next enqueue is fine
    }

    [Fact]
    public async Task ConcurrencyLimit_SelectorThrowsAtExecution_JobIsDeadLetteredAndTheWorkerGoesOn()
    {
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("default", q => q.Workers = 1),
            b => b.AddJob<KeyedJob, Keyed>(j => j.ConcurrencyLimit(Selector, 1)),
            s => s.AddSingleton<KeyTracker>());
        var waiter = FeedWaiter.Attach(host.Services);

        var broken = await host.Jobs.EnqueueAsync(new Keyed("k", 1, "throw"));
        var next = await host.Jobs.EnqueueAsync(new Keyed("k", 2));
        await waiter.WhenAsync(broken, JobState.Failed);
        await waiter.WhenAsync(next, JobState.Succeeded);

        var letter = Assert.Single(host.Monitor.GetDeadLetters());
        Assert.Equal(broken, letter.Id);
        Assert.Equal(1, letter.Attempts); // not retried: the same message would fail the same way
        Assert.Contains("ConcurrencyLimit key selector of Keyed threw FormatException", letter.ExceptionMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Probe.Runs, r => ((Keyed)r.Message).Number == 1);
    }

    [Fact]
    public async Task RateLimit_SelectorReturnsNullInSynchronousMode_EnqueueThrowsItAndTheJobIsDeadLettered()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<KeyedJob, Keyed>(j => j.RateLimit(Selector, perSecond: 5)).UseSynchronousMode(), s => s.AddSingleton<KeyTracker>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Jobs.EnqueueAsync(new Keyed("k", 1, "null")).AsTask());

        Assert.Contains("RateLimit key selector of Keyed returned null", error.Message, StringComparison.Ordinal);
        Assert.Single(host.Monitor.GetDeadLetters());
    }

    [Fact]
    public async Task UniqueBy_SynchronousMode_DuplicateOfAScheduledJobRunsNothing()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<KeyedJob, Keyed>(j => j.UniqueBy(m => m.Key)).UseSynchronousMode(), s => s.AddSingleton<KeyTracker>());
        var scheduled = await host.Jobs.ScheduleAsync(new Keyed("k", 1), TimeSpan.FromMinutes(1));

        var duplicate = await host.Jobs.EnqueueWithResultAsync(new Keyed("k", 2));
        Assert.Empty(host.Probe.Runs);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var after = await host.Jobs.EnqueueWithResultAsync(new Keyed("k", 3)); // ran inline and freed the key

        Assert.Equal(new EnqueueResult(scheduled, true), duplicate);
        Assert.False(after.IsDuplicate);
        Assert.Equal([1, 3], host.Probe.Runs.Select(r => ((Keyed)r.Message).Number));
    }

    [Fact]
    public async Task UniqueBy_FakeMode_DuplicateIsNotRecordedUntilTheHolderRan()
    {
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)))
            .AddSingleton<Probe>().AddSingleton<Gates>().AddSingleton<KeyTracker>();
        services.AddInProc().AddJob<KeyedJob, Keyed>(j => j.UniqueBy(m => m.Key)).UseFakeMode();
        await using var provider = services.BuildServiceProvider();
        var fake = provider.GetRequiredService<FakeJobQueue>();

        var first = await fake.EnqueueWithResultAsync(new Keyed("k", 1));
        var duplicate = await ((IJobQueue)fake).EnqueueAsync(new Keyed("k", 2));
        Assert.Single(fake.Enqueued<Keyed>());
        await fake.RunAllAsync();
        var after = await fake.EnqueueWithResultAsync(new Keyed("k", 3));

        Assert.Equal(first.Id, duplicate);
        Assert.False(after.IsDuplicate);
        Assert.Equal(2, fake.Enqueued<Keyed>().Count);
    }

    [Fact]
    public async Task ConcurrencyAndRateLimits_FakeMode_RunWhatTheTestAsks()
    {
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)))
            .AddSingleton<Probe>().AddSingleton<Gates>().AddSingleton<KeyTracker>();
        services.AddInProc().AddJob<KeyedJob, Keyed>(j => j.RateLimit(m => m.Key, perSecond: 1).ConcurrencyLimit(m => m.Key, 1)).UseFakeMode();
        await using var provider = services.BuildServiceProvider();
        var fake = provider.GetRequiredService<FakeJobQueue>();
        for (var i = 0; i < 3; i++)
        {
            await fake.EnqueueAsync(new Keyed("k", i));
        }

        Assert.Equal(3, await fake.RunAllAsync());
        Assert.Equal(3, provider.GetRequiredService<Probe>().Runs.Count);
    }
}
