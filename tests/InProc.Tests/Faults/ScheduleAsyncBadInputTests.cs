using System.Collections.Concurrent;
using InProc.Tests.Support;

namespace InProc.Tests.Faults;

/// <summary>Issue 8: a delay that cannot be added to "now" is InProc's own argument error, and leaves no job behind.</summary>
public sealed class ScheduleAsyncBadInputTests
{
    [Fact]
    public async Task ScheduleAsync_DelayMaxValue_ThrowsNamingDelayAndRecordsNothing()
    {
        var abandoned = new ConcurrentQueue<JobAbandonedArguments>();
        await using var host = await TestHost.StartAsync(o => o.OnAbandoned = abandoned.Enqueue, b => b.AddJob<PingJob>());
        var control = await host.Jobs.ScheduleAsync(new Ping(1), TimeSpan.FromHours(1));

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => host.Jobs.ScheduleAsync(new Ping(2), TimeSpan.MaxValue).AsTask());

        Assert.Equal("delay", error.ParamName);
        Assert.DoesNotContain("un-representable", error.Message, StringComparison.Ordinal); // not the framework's DateTime error

        // Stop reports every job still waiting: only the control job may be there.
        await host.StopAsync().WaitAsync(TestHost.Patience);
        var report = Assert.Single(abandoned);
        Assert.Equal(control, report.Id);
        Assert.Empty(host.Probe.Runs);
    }

    [Fact]
    public async Task ScheduleAsync_RunAtMaxValue_IsAcceptedAndStaysScheduled()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>());

        var id = await host.Jobs.ScheduleAsync(new Ping(1), DateTimeOffset.MaxValue);
        host.Clock.AdvanceStepwise(TimeSpan.FromDays(60)); // past any timer's longest single arm

        var snapshot = host.Monitor.GetJob(id);
        Assert.NotNull(snapshot);
        Assert.Equal(JobState.Scheduled, snapshot.State);
        Assert.Empty(host.Probe.Runs);

        // The scheduler's timer survived such a due time: a job due soon after still runs on time.
        var soon = await host.Jobs.ScheduleAsync(new Ping(2), TimeSpan.FromSeconds(1));
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        await host.WaitForStateAsync(soon, JobState.Succeeded);
        Assert.Equal(JobState.Scheduled, host.Monitor.GetJob(id)!.State);
    }
}
