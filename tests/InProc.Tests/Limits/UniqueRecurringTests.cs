using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Limits;

public sealed class UniqueRecurringTests
{
    [Fact]
    public async Task RecurringRun_KeyHeldByAnotherJob_StandsForTheHolderAndTheNextSlotRunsOnceItIsGone()
    {
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<KeyedJob, Keyed>(j => j.UniqueBy(m => m.Key))
                .AddRecurringJob<KeyedJob, Keyed>("sync", "* * * * *", _ => new Keyed("k", 9)),
            s => s.AddSingleton<KeyTracker>());
        var waiter = FeedWaiter.Attach(host.Services);
        var holder = await host.Jobs.ScheduleAsync(new Keyed("k", 1), TimeSpan.FromHours(1));

        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var duplicate = Assert.Single(host.Monitor.GetRecurringJobs());
        Assert.True(host.Jobs.Cancel(holder));
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var next = Assert.Single(host.Monitor.GetRecurringJobs());

        Assert.Equal(holder, duplicate.LastRunJobId);
        Assert.NotEqual(holder, next.LastRunJobId);
        await waiter.WhenAsync(next.LastRunJobId!.Value, JobState.Succeeded);
        Assert.Equal([9], host.Probe.Runs.Select(r => ((Keyed)r.Message).Number));
    }
}
