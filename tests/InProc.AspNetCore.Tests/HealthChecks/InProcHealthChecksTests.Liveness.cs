using InProc.AspNetCore.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InProc.AspNetCore.Tests.HealthChecks;

/// <summary>The liveness check: the recurring scheduler's heartbeat and overdue schedules.</summary>
public sealed partial class InProcHealthChecksTests
{
    [Fact]
    public async Task Liveness_NoRecurringJobs_HealthyHowEverLong()
    {
        using var fixture = new Fixture();
        var first = await fixture.LiveAsync();
        fixture.Clock.AdvanceStepwise(TimeSpan.FromDays(30));
        var later = await fixture.LiveAsync();

        Assert.Equal(HealthStatus.Healthy, first.Status);
        Assert.Equal(HealthStatus.Healthy, later.Status);
        Assert.Equal(0, later.Data["recurring"]);
    }

    [Fact]
    public async Task Liveness_RecurringTimerTicking_StaysHealthyForDays()
    {
        using var fixture = new Fixture(synchronous: true, jobs: j => TestApp.AddPing(j, "nightly"));
        var statuses = new List<HealthStatus>();
        for (var hour = 0; hour < 72; hour++)
        {
            statuses.Add((await fixture.LiveAsync()).Status);
            fixture.Clock.AdvanceStepwise(TimeSpan.FromHours(1));
        }

        var last = await fixture.LiveAsync();

        Assert.All(statuses, s => Assert.Equal(HealthStatus.Healthy, s));
        Assert.Equal(new DateTimeOffset(2026, 1, 3, 3, 0, 0, TimeSpan.Zero), fixture.Monitor.LastRecurringTick); // it did tick, nightly
        Assert.Equal("2026-01-03T03:00:00.0000000+00:00", last.Data["recurringLastTick"]);
    }

    [Fact]
    public async Task Liveness_HeartbeatNeverCame_UnhealthyOnceOlderThanMaxTickAge()
    {
        // Not synchronous and no host: the schedules never start, so the timer never ticks.
        using var fixture = new Fixture(jobs: j => TestApp.AddPing(j, "nightly"));
        var first = await fixture.LiveAsync();
        fixture.Clock.AdvanceStepwise(TimeSpan.FromHours(26));
        var atLimit = await fixture.LiveAsync();
        fixture.Clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        var over = await fixture.LiveAsync();

        Assert.Null(fixture.Monitor.LastRecurringTick);
        Assert.Equal(HealthStatus.Healthy, first.Status);
        Assert.Equal(HealthStatus.Healthy, atLimit.Status);
        Assert.Equal(HealthStatus.Unhealthy, over.Status);
        Assert.Contains("the recurring scheduler has not ticked in the 26 h since 2026-01-01T00:00:00.0000000+00:00", over.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Liveness_HeartbeatStale_UnhealthyWithItsAge()
    {
        using var fixture = new Fixture(o => o.RecurringOverdue = null, synchronous: true, jobs: j => TestApp.AddPing(j, "nightly"), frozen: true);
        await fixture.LiveAsync(); // builds InProc, which arms the schedule (synchronous mode has no host to start it)
        fixture.Clock.AdvanceStepwise(TimeSpan.FromHours(3)); // 03:00: the timer ticks and runs the slot
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 3, 0, 0, TimeSpan.Zero), fixture.Monitor.LastRecurringTick);
        fixture.Frozen.Freeze(); // the timer dies here

        fixture.Clock.AdvanceStepwise(TimeSpan.FromHours(26));
        var atLimit = await fixture.LiveAsync();
        fixture.Clock.AdvanceStepwise(TimeSpan.FromMinutes(6));
        var over = await fixture.LiveAsync();

        Assert.Equal(HealthStatus.Healthy, atLimit.Status);
        Assert.Equal(HealthStatus.Unhealthy, over.Status);
        Assert.Contains("last ticked at 2026-01-01T03:00:00.0000000+00:00, 26.1 h ago (more than 26 h)", over.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Liveness_ScheduleOverdue_UnhealthyNamingIt()
    {
        using var fixture = new Fixture(synchronous: true, jobs: j => TestApp.AddPing(j, "nightly <1>"), frozen: true);
        await fixture.LiveAsync();
        fixture.Frozen.Freeze(); // NextRunAt stays 2026-01-01T03:00Z while the clock goes on

        fixture.Clock.AdvanceStepwise(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(5));
        var atLimit = await fixture.LiveAsync();
        fixture.Clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        var over = await fixture.LiveAsync();

        Assert.Equal(HealthStatus.Healthy, atLimit.Status);
        Assert.Equal(HealthStatus.Unhealthy, over.Status);
        Assert.Contains("1 recurring job(s) overdue by more than 5 min: 'nightly <1>' (due 2026-01-01T03:00:00.0000000+00:00, 5 min ago)", over.Description, StringComparison.Ordinal);
        Assert.Equal(1, over.Data["recurringOverdue"]);
    }

    [Fact]
    public async Task Liveness_AllPaused_HealthyAndStatusHealthyTurnsTheCheckOff()
    {
        using var paused = new Fixture(jobs: j => TestApp.AddPing(j, "held", r => r.Enabled = false));
        using var off = new Fixture(o => o.RecurringStalledStatus = HealthStatus.Healthy, jobs: j => TestApp.AddPing(j, "nightly"));
        await paused.LiveAsync();
        await off.LiveAsync();
        paused.Clock.AdvanceStepwise(TimeSpan.FromDays(30));
        off.Clock.AdvanceStepwise(TimeSpan.FromDays(30));

        var pausedEntry = await paused.LiveAsync();
        Assert.Equal(HealthStatus.Healthy, pausedEntry.Status);
        Assert.Equal(1, pausedEntry.Data["recurringPaused"]);
        Assert.Equal(HealthStatus.Healthy, (await off.LiveAsync()).Status);
    }

    [Fact]
    public async Task Liveness_ResumedAfterALongPause_CountsTheHeartbeatFromTheResume()
    {
        using var fixture = new Fixture(synchronous: true, jobs: j => TestApp.AddPing(j, "nightly", cron: "0 3 1 * *")); // monthly: no tick for weeks
        fixture.Monitor.PauseRecurring("nightly");
        await fixture.LiveAsync();
        fixture.Clock.AdvanceStepwise(TimeSpan.FromDays(10));
        fixture.Monitor.ResumeRecurring("nightly");

        var resumed = await fixture.LiveAsync();
        fixture.Clock.AdvanceStepwise(TimeSpan.FromHours(25)); // the timer re-arms within a day, so it ticked meanwhile
        var dayLater = await fixture.LiveAsync();

        Assert.Equal(HealthStatus.Healthy, resumed.Status);
        Assert.Equal(HealthStatus.Healthy, dayLater.Status);
        Assert.NotNull(fixture.Monitor.LastRecurringTick);
    }
}
