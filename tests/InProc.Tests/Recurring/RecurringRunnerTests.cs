using InProc.Testing;
using static InProc.Tests.Recurring.RecurringSetup;

namespace InProc.Tests.Recurring;

/// <summary>The runner's timing on a fake clock: early and late timers, a frozen clock, one timer for many schedules.</summary>
public sealed class RecurringRunnerTests
{
    [Fact]
    public void Tick_TimerFiresOneMillisecondEarly_RunsEachSlotOnce()
    {
        var clock = new SkewedClock(Start) { TimerSkew = TimeSpan.FromMilliseconds(-1) };
        using var services = Synchronous(clock, b => b.EveryMinute());

        clock.AdvanceStepwise(TimeSpan.FromMinutes(5));

        Assert.Equal(Minutes(1, 2, 3, 4, 5), services.Log().Slots);
    }

    [Fact]
    public void Tick_TimerFiresLate_DoesNotSkipTheNextSlot()
    {
        var clock = new SkewedClock(Start) { TimerSkew = TimeSpan.FromSeconds(40) };
        using var services = Synchronous(clock, b => b.EveryMinute());

        clock.AdvanceStepwise(TimeSpan.FromMinutes(5));

        // Each tick is 40 s late; the next slot is armed from the slot (due 20 s later), not from the tick's time.
        Assert.Equal(Minutes(1, 2, 3, 4), services.Log().Slots);
    }

    [Theory]
    [InlineData(MisfirePolicy.RunOnce, new[] { 2 })]
    [InlineData(MisfirePolicy.Skip, new int[0])]
    [InlineData(MisfirePolicy.RunAll, new[] { 1, 2 })]
    public void Tick_ClockJumpsThreeDays_FollowsTheMisfirePolicy(MisfirePolicy policy, int[] catchUpDays)
    {
        var clock = new SkewedClock(Start);
        using var services = Synchronous(clock, b => b.AddRecurringJob<SlotRunJob, SlotRun>(
            "nightly", "0 3 * * *", slot => new SlotRun(slot), r => { r.Misfire = policy; r.MaxCatchUpRuns = 2; }));

        // Frozen from 00:00 on day 0 to 01:00 on day 3: the 03:00 slots of days 0, 1 and 2 came due unseen.
        clock.Jump(TimeSpan.FromDays(3) + TimeSpan.FromHours(1));

        var expected = catchUpDays.Select(d => Start.AddDays(d).AddHours(3)).ToList();
        Assert.Equal(expected, services.Log().Slots);

        // The live schedule goes on as usual: day 3's slot runs on time, once.
        clock.AdvanceStepwise(TimeSpan.FromHours(3));
        Assert.Equal([.. expected, Start.AddDays(3).AddHours(3)], services.Log().Slots);
    }

    [Fact]
    public void Tick_RunAllAfterAMonthDown_IsBoundedByMaxCatchUpRuns()
    {
        var clock = new SkewedClock(Start);
        using var services = Synchronous(clock, b => b.EveryMinute(configure: r => r.Misfire = MisfirePolicy.RunAll));

        clock.Jump(TimeSpan.FromDays(30) + TimeSpan.FromSeconds(30));

        // The ten most recent minutes (the default bound), oldest first, ending at the live schedule.
        var end = Start.AddDays(30);
        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => end.AddMinutes(i - 9))], services.Log().Slots);
    }

    [Fact]
    public void Start_TenThousandSchedules_UseOneTimer()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        using var services = Synchronous(clock, b =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                b.AddRecurringJob<SlotRunJob, SlotRun>($"job-{i}", $"{i % 60} {i / 60 % 24} * * *", slot => new SlotRun(slot));
            }
        });

        Assert.Equal(1, clock.ActiveTimerCount);
        Assert.Equal(10_000, services.Monitor().GetRecurringJobs().Count);

        clock.AdvanceStepwise(TimeSpan.FromMinutes(2));

        Assert.Equal(1, clock.ActiveTimerCount);
        Assert.Equal(2 * 7, services.Log().Runs.Count); // 00:01 and 00:02 are the slots of 7 schedules each (00:00 is not after the start)
    }

    [Fact]
    public void LastRecurringTick_NothingDueForAYear_StillTicksDaily()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        using var services = Synchronous(clock, b => b.AddRecurringJob<SlotRunJob, SlotRun>("yearly", "0 0 1 1 *", slot => new SlotRun(slot)));
        Assert.Null(services.Monitor().LastRecurringTick);

        clock.AdvanceStepwise(TimeSpan.FromDays(2));

        Assert.Equal(Start.AddDays(2), services.Monitor().LastRecurringTick);
        Assert.Empty(services.Log().Runs);
    }
}
