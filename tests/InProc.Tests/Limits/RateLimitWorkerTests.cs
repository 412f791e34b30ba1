using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Limits;

/// <summary>Rate limits with the channel workers: a deferred job leaves its worker, waits on the scheduler, comes back.</summary>
public sealed class RateLimitWorkerTests
{
    [Fact]
    public async Task RateLimit_WithWorkers_DeferredJobsRunAtTheirPermitsAndReturnTheirConcurrencySlot()
    {
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("default", q => q.Workers = 1), // one reader: the jobs reach the limits in queue order
            b => b.AddJob<KeyedJob, Keyed>(j => j.RateLimit(m => m.Key, perSecond: 1).ConcurrencyLimit(m => m.Key, 1)),
            s => s.AddSingleton<KeyTracker>());
        var waiter = FeedWaiter.Attach(host.Services);
        var start = host.Clock.GetUtcNow();
        var ids = new List<JobId>();
        for (var i = 1; i <= 3; i++)
        {
            ids.Add(await host.Jobs.EnqueueAsync(new Keyed("p", i)));
        }

        await waiter.WhenAsync(ids[0], JobState.Succeeded);
        await waiter.WhenAsync(ids[1], JobState.Scheduled);
        await waiter.WhenAsync(ids[2], JobState.Scheduled); // it held the concurrency slot job 2 gave back when deferred
        Assert.Equal(start.AddSeconds(1), host.Monitor.GetJob(ids[1])!.NextAttemptAt);
        Assert.Equal(start.AddSeconds(2), host.Monitor.GetJob(ids[2])!.NextAttemptAt); // spread: not both at +1 s

        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await waiter.WhenAsync(ids[1], JobState.Succeeded);
        Assert.Equal(JobState.Scheduled, host.Monitor.GetJob(ids[2])!.State);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await waiter.WhenAsync(ids[2], JobState.Succeeded);

        Assert.Equal([1, 2, 3], host.Probe.Runs.Select(r => ((Keyed)r.Message).Number));
        Assert.All(ids, id => Assert.Equal(1, host.Monitor.GetJob(id)!.Attempt));
    }
}
