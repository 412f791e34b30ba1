using InProc.Tests.Support;
using InProc.Execution;
using InProc.Scheduling;
using InProc.Testing;

namespace InProc.Tests.Scheduling;

public sealed class SchedulerTests
{
    private static readonly JobRegistration<string> Registration = new(typeof(object), "default", RetryPolicy.None, null);

    [Fact]
    public void TrySchedule_ManyJobs_UsesOneTimer()
    {
        var clock = new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var due = new ListSink();
        using var scheduler = NewScheduler(clock, due);

        for (var i = 0; i < 1_000; i++)
        {
            scheduler.TrySchedule(Envelope(clock, "job" + i, TimeSpan.FromSeconds(1_000 - i)));
        }

        Assert.Equal(1, clock.ActiveTimerCount);
        Assert.Equal(1_000, scheduler.Count);
        clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        Assert.Equal("job999", Assert.Single(due).Message);
    }

    [Fact]
    public void TrySchedule_EarlierJob_RearmsTheTimerSooner()
    {
        var clock = new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var due = new ListSink();
        using var scheduler = NewScheduler(clock, due);
        scheduler.TrySchedule(Envelope(clock, "late", TimeSpan.FromHours(1)));

        scheduler.TrySchedule(Envelope(clock, "soon", TimeSpan.FromSeconds(5)));
        clock.AdvanceStepwise(TimeSpan.FromSeconds(5));

        Assert.Equal(["soon"], due.Select(e => e.Message));
        clock.AdvanceStepwise(TimeSpan.FromHours(1));
        Assert.Equal(["soon", "late"], due.Select(e => e.Message));
        Assert.Equal(0, clock.ActiveTimerCount); // nothing left: the timer is disarmed
    }

    [Fact]
    public void OnTimer_SameDueTime_FirstScheduledFirst()
    {
        var clock = new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var due = new ListSink();
        using var scheduler = NewScheduler(clock, due);
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            scheduler.TrySchedule(Envelope(clock, name, TimeSpan.FromMinutes(1)));
        }

        clock.AdvanceStepwise(TimeSpan.FromMinutes(1));

        Assert.Equal(["a", "b", "c", "d"], due.Select(e => e.Message));
    }

    [Fact]
    public void Stop_HandsBackPendingAndRefusesMore()
    {
        var clock = new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var due = new ListSink();
        using var scheduler = NewScheduler(clock, due);
        scheduler.TrySchedule(Envelope(clock, "x", TimeSpan.FromMinutes(1)));

        var pending = scheduler.Stop();

        Assert.Equal("x", Assert.Single(pending).Message);
        Assert.False(scheduler.TrySchedule(Envelope(clock, "y", TimeSpan.FromMinutes(1))));
        clock.AdvanceStepwise(TimeSpan.FromHours(1));
        Assert.Empty(due);
    }

    [Fact]
    public void Arm_DueMonthsAhead_CapsTheTimerAndStillFiresOnTime()
    {
        var clock = new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var due = new ListSink();
        using var scheduler = NewScheduler(clock, due);
        scheduler.TrySchedule(Envelope(clock, "far", TimeSpan.FromDays(90)));

        clock.AdvanceStepwise(TimeSpan.FromDays(90) - TimeSpan.FromTicks(1));
        Assert.Empty(due);
        clock.AdvanceStepwise(TimeSpan.FromTicks(1));

        Assert.Equal("far", Assert.Single(due).Message);
    }

    private static Scheduler NewScheduler(TimerAwareFakeTimeProvider clock, ListSink sink)
    {
        var scheduler = new Scheduler(clock, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        scheduler.Connect(sink);
        return scheduler;
    }

    private static Envelope<string> Envelope(TimerAwareFakeTimeProvider clock, string message, TimeSpan delay)
    {
        var envelope = Registration.CreateEnvelope(message, new JobIdGenerator(clock).Next(), clock.GetUtcNow(), captureTrace: false);
        envelope.DueAt = clock.GetUtcNow() + delay;
        return envelope;
    }
}
