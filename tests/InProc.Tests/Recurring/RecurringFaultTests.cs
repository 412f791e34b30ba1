using InProc.Testing;
using InProc.Tests.Support;
using static InProc.Tests.Recurring.RecurringSetup;

namespace InProc.Tests.Recurring;

/// <summary>User code met by the recurring timer (the message factory, the job run inline) never stops a schedule.</summary>
public sealed class RecurringFaultTests
{
    [Fact]
    public void MessageFactory_Throws_IsLoggedAndTheScheduleGoesOn()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        using var logs = new CapturingLoggerProvider();
        var calls = 0;
        using var services = Synchronous(
            clock,
            b => b.AddRecurringJob<SlotRunJob, SlotRun>("tick", "* * * * *", slot =>
                Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("factory broke") : new SlotRun(slot)),
            logs: logs);

        clock.AdvanceStepwise(TimeSpan.FromMinutes(3));

        Assert.Equal(Minutes(2, 3), services.Log().Slots);
        var entry = Assert.Single(logs.Entries, e => e.EventId.Id == 36);
        Assert.Equal("RecurringMessageFailed", entry.EventId.Name);
        Assert.Equal("factory broke", entry.Exception!.Message);
        Assert.Equal(Start.AddMinutes(1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture), entry.State["Slot"]);
    }

    [Fact]
    public void MessageFactory_ReturnsNull_IsLoggedAndTheScheduleGoesOn()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        using var logs = new CapturingLoggerProvider();
        using var services = Synchronous(clock, b => b.AddRecurringJob<SlotRunJob, SlotRun>("tick", "* * * * *", _ => null!), logs: logs);

        clock.AdvanceStepwise(TimeSpan.FromMinutes(2));

        Assert.Equal(2, logs.Entries.Count(e => e.EventId.Id == 36));
        Assert.Equal(Start.AddMinutes(3), services.Monitor().GetRecurringJobs()[0].NextRunAt);
        Assert.Null(services.Monitor().GetRecurringJobs()[0].LastRunJobId);
    }

    [Fact]
    public void TriggerRecurring_FactoryThrows_ReturnsNull()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        using var services = Synchronous(clock, b => b.AddRecurringJob<SlotRunJob, SlotRun>("tick", "* * * * *", _ => throw new InvalidOperationException("no")));

        Assert.Null(services.Monitor().TriggerRecurring("tick"));
    }

    [Fact]
    public void Job_ThrowsInline_TheOtherSchedulesAndLaterSlotsRun()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        using var services = Synchronous(clock, b => b
            .AddJob<FlakyJob>(j => j.Retry = RetryPolicy.None)
            .AddRecurringJob<FlakyJob, Flaky>("doomed", "* * * * *", _ => new Flaky(SucceedOnAttempt: 0))
            .EveryMinute("tick"));

        clock.AdvanceStepwise(TimeSpan.FromMinutes(2));

        Assert.Equal(Minutes(1, 2), services.Log().Slots);
        Assert.Equal(2, services.Monitor().GetDeadLetters().Count);
    }
}
