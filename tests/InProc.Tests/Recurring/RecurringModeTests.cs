using InProc.Testing;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static InProc.Tests.Recurring.RecurringSetup;

namespace InProc.Tests.Recurring;

/// <summary>Each run is a normal job, in every mode: synchronous (on the advancing thread), fake (recorded), hosted.</summary>
public sealed class RecurringModeTests
{
    [Fact]
    public void SynchronousMode_ClockAdvances_RunsOnTheThreadThatAdvancedIt()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        using var services = Synchronous(clock, b => b.EveryMinute());

        clock.AdvanceStepwise(TimeSpan.FromMinutes(2));

        Assert.All(services.Log().Runs, r => Assert.Equal(Environment.CurrentManagedThreadId, r.Thread));
        Assert.Equal(Minutes(1, 2), services.Log().Slots);
    }

    [Fact]
    public void Run_IsANormalJob_VisibleInTheMonitorAndRetried()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        using var services = Synchronous(
            clock,
            b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.Fixed(2, TimeSpan.FromSeconds(10)))
                .AddRecurringJob<FlakyJob, Flaky>("flaky", "* * * * *", _ => new Flaky(SucceedOnAttempt: 2)),
            retries: true);

        clock.AdvanceStepwise(TimeSpan.FromMinutes(1));
        var id = services.Monitor().GetRecurringJobs()[0].LastRunJobId!.Value;
        Assert.Equal(JobState.Retrying, services.Monitor().GetJob(id)!.State);

        clock.AdvanceStepwise(TimeSpan.FromSeconds(10));

        var job = services.Monitor().GetJob(id)!;
        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal(2, job.Attempt);
        Assert.Equal(JobState.Succeeded, services.Monitor().GetRecurringJobs()[0].LastRunState);
    }

    [Fact]
    public void Run_FailsForGood_IsADeadLetterAndTheScheduleGoesOn()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        using var services = Synchronous(clock, b => b
            .AddJob<FlakyJob>(j => j.Retry = RetryPolicy.None)
            .AddRecurringJob<FlakyJob, Flaky>("doomed", "* * * * *", _ => new Flaky(SucceedOnAttempt: 0)));

        // Synchronous mode throws a job's failure to its caller; the recurring timer is not a caller, and goes on.
        clock.AdvanceStepwise(TimeSpan.FromMinutes(3));

        var letters = services.Monitor().GetDeadLetters();
        Assert.Equal(3, letters.Count);
        var last = services.Monitor().GetRecurringJobs()[0];
        Assert.Equal(letters[^1].Id, last.LastRunJobId);
        Assert.Equal(JobState.Failed, last.LastRunState);
        Assert.Equal(Start.AddMinutes(4), last.NextRunAt);
    }

    [Fact]
    public async Task FakeMode_SlotComesDue_IsRecordedAndRunsOnDemand()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        using var services = Fake(clock, b => b.EveryMinute(configure: r => r.Overlap = OverlapPolicy.Allow));
        var fake = services.GetRequiredService<FakeJobQueue>();

        clock.AdvanceStepwise(TimeSpan.FromMinutes(2));

        Assert.Equal(Minutes(1, 2), [.. fake.Enqueued<SlotRun>().Select(j => j.Message.Slot.ToUniversalTime())]);
        Assert.Empty(services.Log().Runs);

        await fake.RunAllAsync();

        Assert.Equal(Minutes(1, 2), services.Log().Slots);
    }

    [Fact]
    public void FakeMode_RecordedRunNotRunYet_CountsAsRunningForOverlapSkip()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        using var services = Fake(clock, b => b.EveryMinute());
        var fake = services.GetRequiredService<FakeJobQueue>();

        clock.AdvanceStepwise(TimeSpan.FromMinutes(3));

        Assert.Single(fake.Enqueued<SlotRun>());
    }

    [Fact]
    public void FakeMode_TriggerRecurring_RecordsARun()
    {
        var clock = new TimerAwareFakeTimeProvider(Start.AddSeconds(20));
        using var services = Fake(clock, b => b.EveryMinute());
        var fake = services.GetRequiredService<FakeJobQueue>();

        var id = services.Monitor().TriggerRecurring("tick");

        var job = Assert.Single(fake.Enqueued<SlotRun>());
        Assert.Equal(id, job.Id);
        Assert.Equal(Start.AddSeconds(20), job.Message.Slot);
        Assert.Equal(JobState.Enqueued, services.Monitor().GetRecurringJobs()[0].LastRunState);
    }

    [Fact]
    public async Task Hosted_RunsGoToTheSchedulesQueue()
    {
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("maintenance"),
            b => b.AddJob<PingJob>().AddRecurringJob<PingJob, Ping>("ping", "* * * * *", _ => new Ping(7), r => r.Queue = "maintenance"));

        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(1));
        var id = host.Monitor.GetRecurringJobs()[0].LastRunJobId!.Value;
        var job = await host.WaitForStateAsync(id, JobState.Succeeded);

        Assert.Equal("maintenance", job.Queue);
        Assert.Equal("maintenance", host.Monitor.GetRecurringJobs()[0].Queue);
        Assert.Equal(new Ping(7), Assert.Single(host.Probe.Runs).Message);
    }

    [Fact]
    public async Task Hosted_NotStartedYet_NoSlotRuns()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>().AddRecurringJob<PingJob, Ping>("ping", "* * * * *", _ => new Ping(1)), start: false);

        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(3));

        Assert.Empty(host.Probe.Runs);
        Assert.Null(host.Monitor.GetRecurringJobs()[0].NextRunAt);
    }

    [Fact]
    public async Task Hosted_Stop_StopsTheTimerFirst()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>().AddRecurringJob<PingJob, Ping>("ping", "* * * * *", _ => new Ping(1)));
        Assert.Equal(1, host.Clock.ActiveTimerCount);

        await host.StopAsync().WaitAsync(TestHost.Patience);
        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(3));

        Assert.Equal(0, host.Clock.ActiveTimerCount);
        Assert.Empty(host.Probe.Runs);
        Assert.Null(host.Monitor.LastRecurringTick);
    }
}
