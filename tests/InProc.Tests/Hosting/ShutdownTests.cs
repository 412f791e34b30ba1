using System.Collections.Concurrent;
using InProc.Tests.Support;

namespace InProc.Tests.Hosting;

public sealed class ShutdownTests
{
    [Fact]
    public async Task StopAsync_Backlog_RunsEveryQueuedJobBeforeReturning()
    {
        await using var host = await TestHost.StartAsync(o => o.AddQueue("default", q => q.Workers = 1), b => b.AddJob<BlockingJob>().AddJob<PingJob>());
        var first = await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);
        var backlog = new List<JobId>();
        for (var i = 0; i < 50; i++)
        {
            backlog.Add(await host.Jobs.EnqueueAsync(new Ping(i)));
        }

        var stopping = host.StopAsync();
        Assert.False(stopping.IsCompleted);
        host.Gates.Open(0);
        await stopping.WaitAsync(TestHost.Patience);

        Assert.Equal(JobState.Succeeded, host.Monitor.GetJob(first)!.State);
        Assert.All(backlog, id => Assert.Equal(JobState.Succeeded, host.Monitor.GetJob(id)!.State));
        Assert.Equal(Enumerable.Range(0, 50), host.Probe.Runs.Select(r => r.Message).OfType<Ping>().Select(p => p.Number));
    }

    [Fact]
    public async Task StopAsync_JobIgnoresCancellation_ReportsItAbandonedAndReturnsAfterTimeoutPlusGrace()
    {
        var abandoned = new HookLog<JobAbandonedArguments>();
        await using var host = await TestHost.StartAsync(
            o =>
            {
                o.AddQueue("default", q => q.Workers = 1);
                o.ShutdownTimeout = TimeSpan.FromSeconds(10);
                o.ShutdownGracePeriod = TimeSpan.FromSeconds(2);
                o.OnAbandoned = abandoned.Add;
            },
            b => b.AddJob<BlockingJob>());
        host.Gates.IgnoreCancellation = true;
        var stuck = await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);
        var queued = await host.Jobs.EnqueueAsync(new Blocking(1));
        var timersBefore = host.Clock.ActiveTimerCount;

        var stopping = host.StopAsync();
        await host.Clock.WaitForActiveTimersAsync(timersBefore + 1).WaitAsync(TestHost.Patience);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.False(stopping.IsCompleted); // still draining one tick before the timeout

        host.Clock.AdvanceStepwise(TimeSpan.FromTicks(1)); // timeout: cancel tokens, start the grace period
        await host.Clock.WaitForActiveTimersAsync(timersBefore + 1).WaitAsync(TestHost.Patience);
        Assert.False(stopping.IsCompleted);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(2));
        await stopping.WaitAsync(TestHost.Patience);

        Assert.Equal(JobState.Abandoned, host.Monitor.GetJob(stuck)!.State);
        Assert.Equal(JobState.Abandoned, host.Monitor.GetJob(queued)!.State);
        await abandoned.WaitForCountAsync(2); // the hooks of jobs abandoned as the budget ends run after the stop
        Assert.Equal(2, abandoned.Count);
        Assert.Contains(abandoned, a => a.Id == stuck && a.PreviousState == JobState.Running && a.Reason == AbandonReason.Shutdown);
        Assert.Contains(abandoned, a => a.Id == queued && a.PreviousState == JobState.Enqueued && a.Message.Equals(new Blocking(1)));
        Assert.Single(host.Probe.Runs); // the queued job never started
        host.Gates.OpenAll();
    }

    [Fact]
    public async Task StopAsync_JobHonoursCancellation_StopsAtTimeoutWithoutWaitingForGrace()
    {
        var abandoned = new ConcurrentQueue<JobAbandonedArguments>();
        await using var host = await TestHost.StartAsync(
            o =>
            {
                o.ShutdownTimeout = TimeSpan.FromSeconds(5);
                o.ShutdownGracePeriod = TimeSpan.FromHours(1);
                o.OnAbandoned = abandoned.Enqueue;
            },
            b => b.AddJob<BlockingJob>());
        var running = await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);
        var timersBefore = host.Clock.ActiveTimerCount;

        var stopping = host.StopAsync();
        await host.Clock.WaitForActiveTimersAsync(timersBefore + 1).WaitAsync(TestHost.Patience);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(5));
        await stopping.WaitAsync(TestHost.Patience);

        var snapshot = host.Monitor.GetJob(running)!;
        Assert.Equal(JobState.Abandoned, snapshot.State); // cancelled by shutdown: not a failure, not retried
        Assert.Null(snapshot.NextAttemptAt);
        var report = Assert.Single(abandoned);
        Assert.Equal(JobState.Running, report.PreviousState);
    }

    [Fact]
    public async Task EnqueueAsync_AfterStop_ThrowsInvalidOperationSayingWhy()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>());
        await host.StopAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Jobs.EnqueueAsync(new Ping(1)).AsTask());

        Assert.Contains("stopping", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => host.Jobs.TryEnqueue(new Ping(2), out _));
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Jobs.ScheduleAsync(new Ping(3), TimeSpan.FromMinutes(1)).AsTask());
        Assert.Empty(host.Probe.Runs);
    }

    [Fact]
    public async Task StopAsync_PendingDelayedJobsAndRetries_ReportsThemAbandoned()
    {
        var abandoned = new ConcurrentQueue<JobAbandonedArguments>();
        await using var host = await TestHost.StartAsync(
            o => o.OnAbandoned = abandoned.Enqueue,
            b => b.AddJob<PingJob>().AddJob<FlakyJob>(j => j.Retry = RetryPolicy.Fixed(3, TimeSpan.FromMinutes(1))));
        var delayed = await host.Jobs.ScheduleAsync(new Ping(1), TimeSpan.FromHours(1));
        var retrying = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 0));
        await host.WaitForStateAsync(retrying, JobState.Retrying);

        await host.StopAsync().WaitAsync(TestHost.Patience);

        Assert.Equal(JobState.Abandoned, host.Monitor.GetJob(delayed)!.State);
        Assert.Equal(JobState.Abandoned, host.Monitor.GetJob(retrying)!.State);
        Assert.Contains(abandoned, a => a.Id == delayed && a.PreviousState == JobState.Scheduled);
        Assert.Contains(abandoned, a => a.Id == retrying && a.PreviousState == JobState.Retrying);
    }

    [Fact]
    public async Task StopAsync_RuntimeNeverStarted_ReportsQueuedJobsAbandoned()
    {
        var abandoned = new ConcurrentQueue<JobAbandonedArguments>();
        await using var host = await TestHost.StartAsync(o => o.OnAbandoned = abandoned.Enqueue, b => b.AddJob<PingJob>(), start: false);
        var id = await host.Jobs.EnqueueAsync(new Ping(1));
        var runtime = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<InProc.Hosting.InProcRuntime>(host.Services);

        await runtime.StopAsync(CancellationToken.None).WaitAsync(TestHost.Patience);

        Assert.Equal(id, Assert.Single(abandoned).Id);
        Assert.Equal(JobState.Abandoned, host.Monitor.GetJob(id)!.State);
    }

    [Fact]
    public async Task OnAbandoned_HookThrows_IsLoggedAndStopStillReportsEveryJob()
    {
        var calls = 0;
        var calledThrice = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(
            o =>
            {
                o.AddQueue("default", q => q.Workers = 1);
                o.ShutdownTimeout = TimeSpan.Zero;
                o.ShutdownGracePeriod = TimeSpan.Zero;
                o.OnAbandoned = _ =>
                {
                    if (Interlocked.Increment(ref calls) == 3)
                    {
                        calledThrice.TrySetResult();
                    }

                    throw new InvalidOperationException("hook bug");
                };
            },
            b => b.AddJob<BlockingJob>());
        host.Gates.IgnoreCancellation = true;
        var ids = new List<JobId> { await host.Jobs.EnqueueAsync(new Blocking(0)) };
        await host.Gates.WaitEnteredAsync(0);
        ids.Add(await host.Jobs.EnqueueAsync(new Blocking(1)));
        ids.Add(await host.Jobs.EnqueueAsync(new Blocking(2)));

        await host.StopAsync().WaitAsync(TestHost.Patience);

        await calledThrice.Task.WaitAsync(TestHost.Patience); // a zero budget leaves the hooks to run after the stop
        Assert.Equal(3, calls);
        Assert.All(ids, id => Assert.Equal(JobState.Abandoned, host.Monitor.GetJob(id)!.State));
        host.Gates.OpenAll();
    }
}
