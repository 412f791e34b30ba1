using System.Collections.Concurrent;
using InProc.Tests.Support;

namespace InProc.Tests.Queues;

public sealed class ChannelQueueTests
{
    [Fact]
    public async Task Workers_ManyBlockedJobs_RunExactlyWorkersAtOnce()
    {
        const int workers = 3;
        await using var host = await TestHost.StartAsync(o => o.AddQueue("default", q => q.Workers = workers), b => b.AddJob<BlockingJob>());
        var ids = new List<JobId>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add(await host.Jobs.EnqueueAsync(new Blocking(i)));
        }

        for (var i = 0; i < workers; i++)
        {
            await host.Gates.WaitEnteredAsync(i);
        }

        // Every worker is held by a blocked job: nothing else can have started.
        var queue = Assert.Single(host.Monitor.GetQueues());
        Assert.Equal(workers, queue.Running);
        Assert.Equal(30 - workers, queue.Waiting);
        Assert.Equal(workers, host.Probe.Runs.Count);

        host.Gates.OpenAll();
        for (var i = 0; i < 30; i++)
        {
            host.Gates.Open(i);
        }

        foreach (var id in ids)
        {
            await host.WaitForStateAsync(id, JobState.Succeeded);
        }

        Assert.Equal(workers, host.Probe.MaxConcurrency);
    }

    [Fact]
    public async Task EnqueueAsync_FourProducersTwoQueues_RunsEveryMessageExactlyOnce()
    {
        const int producers = 4;
        const int perProducer = 100_000;
        var counts = new int[producers * perProducer];
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var remaining = counts.Length;
        var counter = new Counter(counts, () =>
        {
            if (Interlocked.Decrement(ref remaining) == 0)
            {
                done.TrySetResult();
            }
        });
        await using var host = await TestHost.StartAsync(
            o =>
            {
                o.AddQueue("default", q => q.Workers = 4);
                o.AddQueue("other", q => { q.Workers = 3; q.Capacity = 500; });
            },
            b => b.AddJob<CountJob>().AddJob<OtherCountJob>(j => j.Queue = "other"),
            s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(s, counter));

        var producing = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < perProducer; i++)
            {
                var n = (p * perProducer) + i;
                if (n % 2 == 0)
                {
                    await host.Jobs.EnqueueAsync(new Count(n));
                }
                else
                {
                    await host.Jobs.EnqueueAsync(new OtherCount(n));
                }
            }
        })).ToArray();
        await Task.WhenAll(producing).WaitAsync(TimeSpan.FromMinutes(2));
        await done.Task.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.All(counts, c => Assert.Equal(1, c));
    }

    [Fact]
    public async Task EnqueueAsync_QueueFullWaitMode_WaitsForSpace()
    {
        await using var host = await TestHost.StartAsync(o => o.AddQueue("default", q => { q.Workers = 1; q.Capacity = 1; }), b => b.AddJob<BlockingJob>());
        await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);
        await host.Jobs.EnqueueAsync(new Blocking(1)); // fills the queue

        Assert.False(host.Jobs.TryEnqueue(new Blocking(2), out var notQueued));
        Assert.True(notQueued.IsEmpty);
        var waiting = host.Jobs.EnqueueAsync(new Blocking(2)).AsTask();
        Assert.False(waiting.IsCompleted);

        host.Gates.Open(0); // job 0 finishes, job 1 starts, job 2 gets the space
        var id = await waiting.WaitAsync(TestHost.Patience);
        host.Gates.Open(1);
        host.Gates.Open(2);
        await host.WaitForStateAsync(id, JobState.Succeeded);
    }

    [Fact]
    public async Task EnqueueAsync_QueueFullWaitModeCancelled_ThrowsAndForgetsTheJob()
    {
        await using var host = await TestHost.StartAsync(o => o.AddQueue("default", q => { q.Workers = 1; q.Capacity = 1; }), b => b.AddJob<BlockingJob>());
        await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);
        await host.Jobs.EnqueueAsync(new Blocking(1));
        using var cancel = new CancellationTokenSource();

        var waiting = host.Jobs.EnqueueAsync(new Blocking(2), cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(1, host.Monitor.GetQueues()[0].Waiting);
        host.Gates.OpenAll();
        host.Gates.Open(1);
    }

    [Fact]
    public async Task EnqueueAsync_QueueFullRejectMode_ThrowsQueueFull()
    {
        await using var host = await TestHost.StartAsync(o => o.AddQueue("default", q => { q.Workers = 1; q.Capacity = 1; q.FullMode = QueueFullMode.Reject; }), b => b.AddJob<BlockingJob>());
        await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);
        await host.Jobs.EnqueueAsync(new Blocking(1));

        var error = await Assert.ThrowsAsync<QueueFullException>(() => host.Jobs.EnqueueAsync(new Blocking(2)).AsTask());

        Assert.Equal("default", error.QueueName);
        Assert.Equal(1, error.Capacity);
        Assert.Contains("Capacity", error.Message, StringComparison.Ordinal);
        Assert.False(host.Jobs.TryEnqueue(new Blocking(3), out _));
        host.Gates.Open(0);
        host.Gates.Open(1);
    }

    [Fact]
    public async Task EnqueueAsync_QueueFullDropOldestMode_DropsAndReportsTheOldestWaitingJob()
    {
        var abandoned = new ConcurrentQueue<JobAbandonedArguments>();
        await using var host = await TestHost.StartAsync(
            o =>
            {
                o.AddQueue("default", q => { q.Workers = 1; q.Capacity = 2; q.FullMode = QueueFullMode.DropOldest; });
                o.OnAbandoned = abandoned.Enqueue;
            },
            b => b.AddJob<BlockingJob>());
        await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);
        var oldest = await host.Jobs.EnqueueAsync(new Blocking(1));
        var second = await host.Jobs.EnqueueAsync(new Blocking(2));

        Assert.True(host.Jobs.TryEnqueue(new Blocking(3), out var newest));

        var report = Assert.Single(abandoned);
        Assert.Equal(oldest, report.Id);
        Assert.Equal(AbandonReason.QueueFull, report.Reason);
        Assert.Equal(new Blocking(1), report.Message);
        Assert.Equal(JobState.Abandoned, host.Monitor.GetJob(oldest)!.State);
        host.Gates.OpenAll();
        for (var i = 0; i <= 3; i++)
        {
            host.Gates.Open(i);
        }

        await host.WaitForStateAsync(second, JobState.Succeeded);
        await host.WaitForStateAsync(newest, JobState.Succeeded);
        Assert.DoesNotContain(host.Probe.Runs, r => r.Message.Equals(new Blocking(1)));
    }

    [Fact]
    public async Task EnqueueAsync_QueueFullDropNewestMode_DropsAndReportsTheIncomingJob()
    {
        var abandoned = new ConcurrentQueue<JobAbandonedArguments>();
        await using var host = await TestHost.StartAsync(
            o =>
            {
                o.AddQueue("default", q => { q.Workers = 1; q.Capacity = 1; q.FullMode = QueueFullMode.DropNewest; });
                o.OnAbandoned = abandoned.Enqueue;
            },
            b => b.AddJob<BlockingJob>());
        await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);
        var waiting = await host.Jobs.EnqueueAsync(new Blocking(1));

        var dropped = await host.Jobs.EnqueueAsync(new Blocking(2));
        Assert.False(host.Jobs.TryEnqueue(new Blocking(3), out var notQueued));

        Assert.Equal(2, abandoned.Count);
        Assert.All(abandoned, a => Assert.Equal(AbandonReason.QueueFull, a.Reason));
        Assert.Equal(dropped, abandoned.First().Id);
        Assert.Equal(new Blocking(3), abandoned.Last().Message);
        Assert.True(notQueued.IsEmpty);
        Assert.Equal(JobState.Abandoned, host.Monitor.GetJob(dropped)!.State);
        host.Gates.Open(0);
        host.Gates.Open(1);
        await host.WaitForStateAsync(waiting, JobState.Succeeded);
    }

    internal sealed record Count(int Number);

    internal sealed record OtherCount(int Number);

    internal sealed class Counter(int[] counts, Action onRun)
    {
        public void Run(int number)
        {
            Interlocked.Increment(ref counts[number]);
            onRun();
        }
    }

    internal sealed class CountJob(Counter counter) : IJob<Count>
    {
        public Task RunAsync(Count message, JobContext context)
        {
            counter.Run(message.Number);
            return Task.CompletedTask;
        }
    }

    internal sealed class OtherCountJob(Counter counter) : IJob<OtherCount>
    {
        public Task RunAsync(OtherCount message, JobContext context)
        {
            counter.Run(message.Number);
            return Task.CompletedTask;
        }
    }
}
