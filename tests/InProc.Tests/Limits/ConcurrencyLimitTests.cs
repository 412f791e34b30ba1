using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Limits;

public sealed class ConcurrencyLimitTests
{
    private static Task<TestHost> StartAsync(int limit, int workers) =>
        TestHost.StartAsync(
            o => o.AddQueue("default", q => q.Workers = workers),
            b => b.AddJob<KeyedJob, Keyed>(j =>
            {
                j.Retry = RetryPolicy.None;
                j.ConcurrencyLimit(m => m.Key, limit);
            }),
            s => s.AddSingleton<KeyTracker>());

    [Fact]
    public async Task ConcurrencyLimit_OverTheLimit_WaitsWithoutAWorkerAndOtherKeysRun()
    {
        // Two workers: one runs tenant a's job, which blocks; the other must still run b's job queued behind a's waiters.
        await using var host = await StartAsync(limit: 1, workers: 2);
        var waiter = FeedWaiter.Attach(host.Services);
        var tracker = host.Services.GetRequiredService<KeyTracker>();
        await host.Jobs.EnqueueAsync(new Keyed("a", 1, "block"));
        await host.Gates.WaitEnteredAsync(1);
        var waiting = new List<JobId>();
        for (var i = 2; i <= 5; i++)
        {
            waiting.Add(await host.Jobs.EnqueueAsync(new Keyed("a", i, "block")));
        }

        var other = await host.Jobs.EnqueueAsync(new Keyed("b", 100));
        await waiter.WhenAsync(other, JobState.Succeeded);

        Assert.Equal(1, tracker.Started("a"));
        Assert.All(waiting, id =>
        {
            var job = host.Monitor.GetJob(id)!;
            Assert.Equal(JobState.Enqueued, job.State);
            Assert.Equal(JobWaitReason.ConcurrencyLimit, job.WaitingOn);
        });
        Assert.Equal(0, host.Monitor.GetQueues().Single().Waiting); // not in the queue: in the key's waiting list
        host.Gates.OpenAll();
    }

    [Fact]
    public async Task ConcurrencyLimit_SlotFrees_WaitersRunFirstInFirstOut()
    {
        await using var host = await StartAsync(limit: 1, workers: 2);
        var waiter = FeedWaiter.Attach(host.Services);
        var first = await host.Jobs.EnqueueAsync(new Keyed("a", 1, "block"));
        await host.Gates.WaitEnteredAsync(1);
        var ids = new List<JobId> { first };
        for (var i = 2; i <= 6; i++)
        {
            ids.Add(await host.Jobs.EnqueueAsync(new Keyed("a", i, "block")));
        }

        // The one free worker reads 2–6 in order and parks each before it reaches this one: then all wait, in order.
        var marker = await host.Jobs.EnqueueAsync(new Keyed("b", 100));
        await waiter.WhenAsync(marker, JobState.Succeeded);
        for (var i = 1; i <= 6; i++)
        {
            await host.Gates.WaitEnteredAsync(i);
            host.Gates.Open(i);
            await waiter.WhenAsync(ids[i - 1], JobState.Succeeded);
        }

        var order = host.Probe.Runs.Select(r => ((Keyed)r.Message).Number).Where(n => n != 100).ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6], order);
        Assert.Equal(1, host.Services.GetRequiredService<KeyTracker>().MaxRunning("a"));
        Assert.All(ids, id => Assert.Null(host.Monitor.GetJob(id)!.WaitingOn));
    }

    [Fact]
    public async Task ConcurrencyLimit_WaiterCancelled_IsSkippedAndItsSlotGoesToTheNext()
    {
        await using var host = await StartAsync(limit: 1, workers: 2);
        var waiter = FeedWaiter.Attach(host.Services);
        await host.Jobs.EnqueueAsync(new Keyed("a", 1, "block"));
        await host.Gates.WaitEnteredAsync(1);
        var cancelled = await host.Jobs.EnqueueAsync(new Keyed("a", 2));
        var next = await host.Jobs.EnqueueAsync(new Keyed("a", 3));
        var marker = await host.Jobs.EnqueueAsync(new Keyed("b", 4));
        await waiter.WhenAsync(marker, JobState.Succeeded); // the free worker read (and parked) 2 and 3 before it

        Assert.True(host.Jobs.Cancel(cancelled));
        host.Gates.Open(1);
        await waiter.WhenAsync(next, JobState.Succeeded);

        Assert.Equal(JobState.Cancelled, host.Monitor.GetJob(cancelled)!.State);
        Assert.DoesNotContain(host.Probe.Runs, r => ((Keyed)r.Message).Number == 2);
    }

    [Fact]
    public async Task ConcurrencyLimit_FailingJob_ReturnsItsSlot()
    {
        await using var host = await StartAsync(limit: 1, workers: 1);
        var waiter = FeedWaiter.Attach(host.Services);
        var failing = await host.Jobs.EnqueueAsync(new Keyed("a", 1, "fail"));
        var after = await host.Jobs.EnqueueAsync(new Keyed("a", 2));

        await waiter.WhenAsync(failing, JobState.Failed);
        await waiter.WhenAsync(after, JobState.Succeeded);
    }

    [Fact]
    public async Task ConcurrencyLimit_StopWhileJobsWait_ReportsThemAbandoned()
    {
        await using var host = await StartAsync(limit: 1, workers: 2);
        var waiter = FeedWaiter.Attach(host.Services);
        host.Gates.IgnoreCancellation = false;
        await host.Jobs.EnqueueAsync(new Keyed("a", 1, "block"));
        await host.Gates.WaitEnteredAsync(1);
        var parked = await host.Jobs.EnqueueAsync(new Keyed("a", 2));
        var marker = await host.Jobs.EnqueueAsync(new Keyed("b", 3));
        await waiter.WhenAsync(marker, JobState.Succeeded);

        var stopping = host.StopAsync();
        host.Gates.Open(1); // the drain lets the running job finish; the waiter cannot start any more
        await stopping.WaitAsync(TestHost.Patience);

        Assert.Equal(JobState.Abandoned, host.Monitor.GetJob(parked)!.State);
    }

    [Fact]
    public void ConcurrencyLimit_LessThanOne_ThrowsSayingWhatToFix()
    {
        var services = new ServiceCollection();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => services.AddInProc().AddJob<KeyedJob, Keyed>(j => j.ConcurrencyLimit(m => m.Key, 0)));

        Assert.Contains("at least 1", error.Message, StringComparison.Ordinal);
    }
}
