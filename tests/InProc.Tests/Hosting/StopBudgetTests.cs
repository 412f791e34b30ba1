using System.Collections.Concurrent;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InProc.Tests.Hosting;

/// <summary>Issue 8: the stop honours one budget: the earlier of ShutdownTimeout and the host's stop token, plus the grace.</summary>
public sealed class StopBudgetTests
{
    [Fact]
    public async Task StopAsync_HostTokenEndsBeforeShutdownTimeout_CancelsJobsAndNamesTheHostsLimit()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await TestHost.StartAsync(
            o =>
            {
                o.AddQueue("default", q => q.Workers = 1);
                o.ShutdownTimeout = TimeSpan.FromSeconds(10);
                o.ShutdownGracePeriod = TimeSpan.FromSeconds(2);
            },
            b => b.AddJob<BlockingJob>(),
            s => s.AddLogging(l => l.AddProvider(logs)));
        var running = await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);
        var hosted = host.Services.GetServices<IHostedService>().Single(s => s.GetType().Name == "InProcHostedService");
        using var hostToken = new CancellationTokenSource();

        var stopping = hosted.StopAsync(hostToken.Token);
        Assert.False(stopping.IsCompleted);
        await hostToken.CancelAsync(); // the host's own budget (HostOptions.ShutdownTimeout) ends first

        // The job observes its token (BlockingJob honours it), so the grace period is not needed on the fake clock.
        await stopping.WaitAsync(TestHost.Patience);
        var timedOut = Assert.Single(logs.Entries, e => e.EventId == 4);
        Assert.Contains("host's stop token", timedOut.Message, StringComparison.Ordinal);
        Assert.Equal(JobState.Abandoned, host.Monitor.GetJob(running)!.State);
    }

    [Fact]
    public async Task StopAsync_ShutdownTimeoutEnds_LogNamesShutdownTimeoutAndCountsRunningJobs()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await TestHost.StartAsync(
            o =>
            {
                o.AddQueue("default", q => q.Workers = 2);
                o.ShutdownTimeout = TimeSpan.FromSeconds(10);
                o.ShutdownGracePeriod = TimeSpan.FromSeconds(2);
            },
            b => b.AddJob<BlockingJob>(),
            s => s.AddLogging(l => l.AddProvider(logs)));
        await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Jobs.EnqueueAsync(new Blocking(1));
        await host.Gates.WaitEnteredAsync(0);
        await host.Gates.WaitEnteredAsync(1);
        var timers = host.Clock.ActiveTimerCount;

        var stopping = host.StopAsync();
        await host.Clock.WaitForActiveTimersAsync(timers + 1).WaitAsync(TestHost.Patience);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(10));
        await stopping.WaitAsync(TestHost.Patience);

        var timedOut = Assert.Single(logs.Entries, e => e.EventId == 4);
        Assert.Contains("InProcOptions.ShutdownTimeout", timedOut.Message, StringComparison.Ordinal);
        Assert.Contains("2 running job(s)", timedOut.Message, StringComparison.Ordinal);
        var stopped = Assert.Single(logs.Entries, e => e.EventId == 3);
        Assert.Contains("2 job(s) abandoned", stopped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_SlowOnAbandonedHooks_DoNotStretchTheBudget()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reported = new ConcurrentQueue<JobId>();
        var logs = new CapturingLoggerProvider();
        await using var host = await TestHost.StartAsync(
            o =>
            {
                o.ShutdownTimeout = TimeSpan.FromSeconds(1);
                o.ShutdownGracePeriod = TimeSpan.Zero;
                o.OnAbandoned = a =>
                {
                    reported.Enqueue(a.Id);
                    release.Task.Wait(); // a hook that blocks far longer than the whole stop budget
                };
            },
            b => b.AddJob<PingJob>(),
            s => s.AddLogging(l => l.AddProvider(logs)));
        var scheduled = new List<JobId>();
        for (var i = 0; i < 300; i++)
        {
            scheduled.Add(await host.Jobs.ScheduleAsync(new Ping(i), TimeSpan.FromHours(1)));
        }

        var timers = host.Clock.ActiveTimerCount;
        var stopping = host.StopAsync();

        // The stop does not wait for the hooks before its clock starts: once the scheduler's timer is off (the
        // "Stopping" line follows it), the stop's own timer is armed while the first hook still blocks.
        await logs.WaitForAsync(e => e.EventId == 2).WaitAsync(TestHost.Patience);
        await host.Clock.WaitForActiveTimersAsync(timers).WaitAsync(TestHost.Patience);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        await stopping.WaitAsync(TestHost.Patience);

        Assert.Contains(logs.Entries, e => e.EventId == 7); // the hooks were left running, and said so
        Assert.All(scheduled, id => Assert.Equal(JobState.Abandoned, host.Monitor.GetJob(id)!.State));
        release.SetResult();
    }

    [Fact]
    public async Task StopAsync_EnqueuerWaitingForSpace_IsReleasedWithTheStoppingError()
    {
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("default", q => { q.Workers = 1; q.Capacity = 1; q.FullMode = QueueFullMode.Wait; }),
            b => b.AddJob<BlockingJob>());
        await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);
        await host.Jobs.EnqueueAsync(new Blocking(1)); // the only slot
        var waiting = host.Jobs.EnqueueAsync(new Blocking(2)).AsTask();
        Assert.False(waiting.IsCompleted);

        var stopping = host.StopAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => waiting.WaitAsync(TestHost.Patience));
        Assert.Contains("stopping", error.Message, StringComparison.Ordinal);
        host.Gates.Open(0);
        host.Gates.Open(1);
        await stopping.WaitAsync(TestHost.Patience);
    }
}
