using System.Collections.Concurrent;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InProc.Tests.Lifecycle;

/// <summary>Issue 8's races, each written as a test first: the lifecycle's compare-and-set decides, once.</summary>
public sealed class JobLifecycleRaceTests
{
    [Fact]
    public async Task RequeueDeadLetter_ManyCallersAtOnce_ExactlyOneWinsAndTheJobRunsOnceMore()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<FailFirstRunJob>(j => j.Retry = RetryPolicy.None));
        var id = await host.Jobs.EnqueueAsync(new FailFirstRun(1)); // fails once, then succeeds
        await host.WaitForStateAsync(id, JobState.Failed);

        using var start = new Barrier(8);
        var wins = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait(TestHost.Patience);
            return host.Monitor.RequeueDeadLetter(id);
        })));

        Assert.Equal(1, wins.Count(w => w));
        await host.WaitForStateAsync(id, JobState.Succeeded);
        Assert.Equal(2, host.Probe.Runs.Count(r => r.Context.Id == id));
        Assert.Empty(host.Monitor.GetDeadLetters());
    }

    [Fact]
    public async Task GetJobs_RequeuedDeadLetterSucceeded_ListsTheJobOnce()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<FailFirstRunJob>(j => j.Retry = RetryPolicy.None));
        var id = await host.Jobs.EnqueueAsync(new FailFirstRun(2));
        await host.WaitForStateAsync(id, JobState.Failed);

        Assert.True(host.Monitor.RequeueDeadLetter(id));
        await host.WaitForStateAsync(id, JobState.Succeeded);

        var page = host.Monitor.GetJobs(new JobQuery());
        var listed = Assert.Single(page.Items, s => s.Id == id);
        Assert.Equal(JobState.Succeeded, listed.State);
        Assert.Equal(1, page.TotalCount);
        Assert.Empty(host.Monitor.GetJobs(new JobQuery { State = JobState.Failed }).Items);
    }

    [Fact]
    public async Task Cancel_QueuedJobInFullQueue_FreesItsSlotAtOnce()
    {
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("default", q => { q.Workers = 1; q.Capacity = 1; q.FullMode = QueueFullMode.Reject; }),
            b => b.AddJob<BlockingJob>());
        await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0); // the worker is busy
        var queued = await host.Jobs.EnqueueAsync(new Blocking(1)); // the only slot
        Assert.False(host.Jobs.TryEnqueue(new Blocking(2), out _));

        Assert.True(host.Jobs.Cancel(queued));

        Assert.True(host.Jobs.TryEnqueue(new Blocking(3), out var next)); // the slot came back without a worker's help
        Assert.Equal(JobState.Enqueued, host.Monitor.GetJob(next)!.State);
        Assert.Equal(JobState.Cancelled, host.Monitor.GetJob(queued)!.State);
        host.Gates.OpenAll();
        host.Gates.Open(3);
        await host.WaitForStateAsync(next, JobState.Succeeded);
        Assert.DoesNotContain(host.Probe.Runs, r => r.Context.Id == queued);
    }

    [Fact]
    public async Task Cancel_ScheduledJob_LetsGoOfItsMessage()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>());
        var message = new WeakReference(null);
        var id = await ScheduleUnreferencedAsync(host, message);

        Assert.True(host.Jobs.Cancel(id));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(message.IsAlive); // the heap entry stays until its due time, the message does not
        Assert.Equal(JobState.Cancelled, host.Monitor.GetJob(id)!.State);
    }

    [Fact]
    public async Task StopAsync_AfterQueueFullDrops_CountsOnlyJobsTheStopAbandoned()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("default", q => { q.Workers = 1; q.Capacity = 1; q.FullMode = QueueFullMode.DropNewest; }),
            b => b.AddJob<BlockingJob>(),
            s => s.AddLogging(l => l.AddProvider(logs)));
        await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);
        await host.Jobs.EnqueueAsync(new Blocking(1)); // takes the slot
        var dropped = await host.Jobs.EnqueueAsync(new Blocking(2)); // dropped: QueueFull
        Assert.Equal(JobState.Abandoned, host.Monitor.GetJob(dropped)!.State);
        host.Gates.Open(0);
        host.Gates.Open(1);

        await host.StopAsync().WaitAsync(TestHost.Patience);

        var stopped = Assert.Single(logs.Entries, e => e.EventId == 3);
        Assert.Contains("0 job(s) abandoned", stopped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feed_ObserverThrows_TransitionStandsAndJobSucceeds()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>());
        var runtime = host.Services.GetRequiredService<InProc.Hosting.InProcRuntime>();
        var seen = new ConcurrentQueue<JobState>();
        var broken = new ChangeObserver(e =>
        {
            seen.Enqueue(e.State);
            throw new InvalidOperationException("observer bug");
        });
        runtime.Lifecycle.Feed.Subscribe(broken);

        var id = await host.Jobs.EnqueueAsync(new Ping(1));

        Assert.Equal(JobState.Succeeded, (await host.WaitForStateAsync(id, JobState.Succeeded)).State);
        Assert.Contains(JobState.Running, seen);
        runtime.Lifecycle.Feed.Unsubscribe(broken);
    }

    internal sealed record FailFirstRun(int Number);

    /// <summary>Fails the first time it runs for a message and succeeds after (attempts restart at 1 on a re-run).</summary>
    internal sealed class FailFirstRunJob(Probe probe) : IJob<FailFirstRun>
    {
        public Task RunAsync(FailFirstRun message, JobContext context)
        {
            probe.Record(message, context);
            return probe.Runs.Count(r => r.Message.Equals(message)) == 1 ? throw new IOException("first run fails") : Task.CompletedTask;
        }
    }

    private static async Task<JobId> ScheduleUnreferencedAsync(TestHost host, WeakReference message)
    {
        var ping = new Ping(42);
        message.Target = ping;
        return await host.Jobs.ScheduleAsync(ping, TimeSpan.FromHours(1));
    }
}
