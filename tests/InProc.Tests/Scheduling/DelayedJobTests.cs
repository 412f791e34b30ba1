using System.Collections.Concurrent;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Scheduling;

public sealed class DelayedJobTests
{
    [Fact]
    public async Task ScheduleAsync_Delay_RunsWhenDueAndNotATickEarly()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>());
        var scheduledAt = host.Clock.GetUtcNow();

        var id = await host.Jobs.ScheduleAsync(new Ping(1), TimeSpan.FromMinutes(10));

        var snapshot = host.Monitor.GetJob(id)!;
        Assert.Equal(JobState.Scheduled, snapshot.State);
        Assert.Equal(scheduledAt + TimeSpan.FromMinutes(10), snapshot.NextAttemptAt);
        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.Equal(JobState.Scheduled, host.Monitor.GetJob(id)!.State);
        host.Clock.AdvanceStepwise(TimeSpan.FromTicks(1));
        await host.WaitForStateAsync(id, JobState.Succeeded);
        Assert.Equal(scheduledAt + TimeSpan.FromMinutes(10), host.Monitor.GetJob(id)!.StartedAt);
    }

    [Fact]
    public async Task ScheduleAsync_RunAt_RunsAtThatTime()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>());
        var runAt = host.Clock.GetUtcNow().AddHours(3);

        var id = await host.Jobs.ScheduleAsync(new Ping(1), runAt: runAt);

        host.Clock.AdvanceStepwise(TimeSpan.FromHours(3));
        var done = await host.WaitForStateAsync(id, JobState.Succeeded);
        Assert.Equal(runAt, done.StartedAt);
    }

    [Fact]
    public async Task ScheduleAsync_TimeInThePast_RunsAtOnce()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>());

        var id = await host.Jobs.ScheduleAsync(new Ping(1), runAt: host.Clock.GetUtcNow().AddDays(-1));

        await host.WaitForStateAsync(id, JobState.Succeeded); // the clock never moves
    }

    [Fact]
    public async Task Cancel_ScheduledJob_NeverRuns()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>());
        var cancelled = await host.Jobs.ScheduleAsync(new Ping(1), TimeSpan.FromMinutes(5));
        var kept = await host.Jobs.ScheduleAsync(new Ping(2), TimeSpan.FromMinutes(5));

        Assert.True(host.Jobs.Cancel(cancelled));
        Assert.False(host.Jobs.Cancel(cancelled)); // once
        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(5));

        await host.WaitForStateAsync(kept, JobState.Succeeded);
        Assert.Equal(JobState.Cancelled, host.Monitor.GetJob(cancelled)!.State);
        Assert.Equal(new Ping(2), Assert.Single(host.Probe.Runs).Message);
    }

    [Fact]
    public async Task Cancel_RunningOrFinishedOrUnknownJob_ReturnsFalse()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<BlockingJob>().AddJob<PingJob>());
        var running = await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);
        var finished = await host.Jobs.EnqueueAsync(new Ping(1));
        await host.WaitForStateAsync(finished, JobState.Succeeded);

        Assert.False(host.Jobs.Cancel(running));
        Assert.False(host.Jobs.Cancel(finished));
        Assert.False(host.Jobs.Cancel(default));
        host.Gates.Open(0);
    }

    [Fact]
    public async Task Cancel_JobWaitingInQueue_IsSkippedByTheWorker()
    {
        await using var host = await TestHost.StartAsync(o => o.AddQueue("default", q => q.Workers = 1), b => b.AddJob<BlockingJob>().AddJob<PingJob>());
        await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);
        var waiting = await host.Jobs.EnqueueAsync(new Ping(1));
        var after = await host.Jobs.EnqueueAsync(new Ping(2));

        Assert.True(host.Jobs.Cancel(waiting));
        host.Gates.Open(0);

        await host.WaitForStateAsync(after, JobState.Succeeded);
        Assert.DoesNotContain(host.Probe.Runs, r => r.Message.Equals(new Ping(1)));
        Assert.Equal(JobState.Cancelled, host.Monitor.GetJob(waiting)!.State);
    }

    [Fact]
    public async Task ScheduleAsync_TenThousandRandomDueTimes_RunInDueTimeOrder()
    {
        const int count = 10_000;
        var order = new ConcurrentQueue<int>();
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("default", q => { q.Workers = 1; q.Capacity = 100; }),
            b => b.AddJob<RecordOrderJob>(),
            s => s.AddSingleton(order));
        var random = new Random(12345);
        var start = host.Clock.GetUtcNow();
        var dueSeconds = new int[count];
        var ids = new JobId[count];
        for (var i = 0; i < count; i++)
        {
            // Within half an hour, so no finished record outlives the monitor's 1 h retention before it is checked.
            dueSeconds[i] = random.Next(1, 1_800);
            ids[i] = await host.Jobs.ScheduleAsync(new Ordered(i), start.AddSeconds(dueSeconds[i]));
        }

        // Move the clock in uneven steps; each step releases whatever became due.
        for (var t = 0; t < 1_800; t += 97)
        {
            host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(97));
        }

        foreach (var id in ids)
        {
            await host.WaitForStateAsync(id, JobState.Succeeded);
        }

        var ran = order.Select(i => dueSeconds[i]).ToArray();
        Assert.Equal(count, ran.Length);
        Assert.Equal(ran.Order(), ran);
    }

    internal sealed record Ordered(int Index);

    internal sealed class RecordOrderJob(ConcurrentQueue<int> order) : IJob<Ordered>
    {
        public Task RunAsync(Ordered message, JobContext context)
        {
            order.Enqueue(message.Index);
            return Task.CompletedTask;
        }
    }
}
