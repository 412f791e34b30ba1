using InProc.Recurring;
using static InProc.Tests.Recurring.TimerWalk;

namespace InProc.Tests.Recurring;

public sealed class MisfirePlannerTests
{
    private static readonly TimeSpan Threshold = TimeSpan.FromMinutes(1);
    private static readonly RecurringSchedule Nightly = RecurringSchedule.Create("nightly", "0 3 * * *", "Europe/Berlin");
    private static readonly RecurringSchedule EveryMinute = RecurringSchedule.Create("minutely", "* * * * *", "UTC");

    // Berlin 03:00 in May is 01:00 UTC.
    private static readonly DateTimeOffset Night0 = At(2026, 5, 1, 3, 0, 2);

    private static MisfirePlan Plan(RecurringSchedule schedule, DateTimeOffset after, DateTimeOffset now, MisfirePolicy policy, int max = 10) =>
        MisfirePlanner.Plan(schedule, after, now, policy, Threshold, max);

    // Timer early and late

    [Fact]
    public void Plan_TimerOneMillisecondEarly_RunsNothingAndArmsTheSameSlot()
    {
        var plan = Plan(Nightly, Night0, Night0.AddDays(1).AddMilliseconds(-1), MisfirePolicy.RunOnce);

        Assert.Empty(plan.Run);
        Assert.Equal(Night0.AddDays(1), plan.Next);
    }

    [Fact]
    public void Plan_ClockSlightlyBehindTheSlotThatRan_DoesNotRunItAgain()
    {
        // The slot ran; the clock now reads 1 ms before it. Computing from "now" would arm the same slot again.
        var plan = Plan(Nightly, Night0, Night0.AddMilliseconds(-1), MisfirePolicy.RunOnce);

        Assert.Empty(plan.Run);
        Assert.Equal(Night0.AddDays(1), plan.Next);
    }

    [Fact]
    public void Plan_TimerLateWithinThreshold_RunsTheSlotAndArmsTheVeryNextOne()
    {
        var slot = At(2026, 5, 1, 12, 0, 0);

        var plan = Plan(EveryMinute, slot.AddMinutes(-1), slot.AddSeconds(59), MisfirePolicy.Skip);

        Assert.Equal([slot], plan.Run);
        Assert.Equal(slot.AddMinutes(1), plan.Next);
        Assert.Equal(0, plan.Missed);
        Assert.Equal(0, plan.Skipped);
    }

    [Fact]
    public void Plan_ClockSetBackBeforeTheLastSlot_RunsNothingAndArmsTheSlotAfterIt()
    {
        var plan = Plan(Nightly, Night0, Night0.AddHours(-5), MisfirePolicy.RunAll);

        Assert.Empty(plan.Run);
        Assert.Equal(Night0.AddDays(1), plan.Next);
        Assert.Null(plan.NewestDue);
    }

    [Fact]
    public void Plan_FirstArmAtStart_RunsNothingBeforeStart()
    {
        var start = At(2026, 5, 1, 3, 0, 2).AddSeconds(10);

        var plan = Plan(Nightly, start, start, MisfirePolicy.RunOnce);

        Assert.Empty(plan.Run);
        Assert.Equal(Night0.AddDays(1), plan.Next);
    }

    // Down for 3 days: the slots of nights 1, 2 and 3 came due

    [Fact]
    public void Plan_ThreeDaysDownRunOnce_RunsOnceForTheLatestSlot()
    {
        var now = Night0.AddDays(3).AddHours(7);

        var plan = Plan(Nightly, Night0, now, MisfirePolicy.RunOnce);

        Assert.Equal([Night0.AddDays(3)], plan.Run);
        Assert.Equal(Night0.AddDays(4), plan.Next);
        Assert.Equal(3, plan.Missed);
        Assert.Equal(2, plan.Skipped);
        Assert.Equal(Night0.AddDays(1), plan.FirstSkipped);
        Assert.Equal(Night0.AddDays(2), plan.LastSkipped);
        Assert.True(plan.CountsAreExact);
    }

    [Fact]
    public void Plan_ThreeDaysDownSkip_RunsNothingAndWaitsForTheNextSlot()
    {
        var now = Night0.AddDays(3).AddHours(7);

        var plan = Plan(Nightly, Night0, now, MisfirePolicy.Skip);

        Assert.Empty(plan.Run);
        Assert.Equal(Night0.AddDays(4), plan.Next);
        Assert.Equal(3, plan.Skipped);
        Assert.Equal(Night0.AddDays(1), plan.FirstSkipped);
        Assert.Equal(Night0.AddDays(3), plan.LastSkipped);
        Assert.Equal(Night0.AddDays(3), plan.NewestDue);
    }

    [Fact]
    public void Plan_ThreeDaysDownRunAll_RunsEverySlotOldestFirst()
    {
        var plan = Plan(Nightly, Night0, Night0.AddDays(3).AddHours(7), MisfirePolicy.RunAll);

        Assert.Equal([Night0.AddDays(1), Night0.AddDays(2), Night0.AddDays(3)], plan.Run);
        Assert.Equal(0, plan.Skipped);
        Assert.Null(plan.FirstSkipped);
        Assert.Equal(Night0.AddDays(4), plan.Next);
    }

    [Fact]
    public void Plan_ThreeDaysDownRunAllBounded_RunsTheNewestMaxAndCountsTheRest()
    {
        var after = At(2026, 5, 1, 12, 0, 0);
        var now = after.AddDays(3).AddSeconds(30);

        var plan = Plan(EveryMinute, after, now, MisfirePolicy.RunAll, max: 10);

        var expected = Enumerable.Range(0, 10).Select(i => after.AddDays(3).AddMinutes(i - 9)).ToList();
        Assert.Equal(expected, plan.Run);
        Assert.Equal((3 * 24 * 60) - 10, plan.Skipped);
        Assert.Equal(after.AddMinutes(1), plan.FirstSkipped);
        Assert.Equal(expected[0].AddMinutes(-1), plan.LastSkipped);
        Assert.Equal(after.AddDays(3).AddMinutes(1), plan.Next);
        Assert.True(plan.CountsAreExact);
    }

    [Fact]
    public void Plan_MonthDownEverySecond_RunsOnceAndCountsUpToTheBound()
    {
        var seconds = RecurringSchedule.Create("tick", "* * * * * *", "UTC");
        var after = At(2026, 5, 1, 0, 0, 0);
        var now = after.AddDays(30);

        var plan = Plan(seconds, after, now, MisfirePolicy.RunOnce);

        Assert.Equal([now], plan.Run);
        Assert.False(plan.CountsAreExact);
        Assert.Equal(RecurringConstants.MaxCountedSlots - 1, plan.Skipped);
        Assert.Equal(now.AddSeconds(1), plan.Next);
    }

    // The threshold: lateness within it is not a miss

    [Theory]
    [InlineData(MisfirePolicy.RunOnce)]
    [InlineData(MisfirePolicy.Skip)]
    [InlineData(MisfirePolicy.RunAll)]
    public void Plan_SlowStartWithinThreshold_RunsTheSlotAsNormal(MisfirePolicy policy)
    {
        var plan = Plan(Nightly, Night0, Night0.AddDays(1).AddSeconds(40), policy);

        Assert.Equal([Night0.AddDays(1)], plan.Run);
        Assert.Equal(0, plan.Missed);
        Assert.Equal(0, plan.Skipped);
    }

    [Theory]
    [InlineData(60_000, 1)]
    [InlineData(60_001, 0)]
    public void Plan_SkipAtTheThreshold_RunsUpToItAndNotBeyond(int lateMilliseconds, int runs)
    {
        var plan = Plan(Nightly, Night0, Night0.AddDays(1).AddMilliseconds(lateMilliseconds), MisfirePolicy.Skip);

        Assert.Equal(runs, plan.Run.Count);
        Assert.Equal(1 - runs, plan.Missed);
    }

    [Fact]
    public void Plan_RunOnceBeyondThreshold_RunsTheLateSlotAndCountsItMissed()
    {
        var plan = Plan(Nightly, Night0, Night0.AddDays(1).AddMinutes(10), MisfirePolicy.RunOnce);

        Assert.Equal([Night0.AddDays(1)], plan.Run);
        Assert.Equal(1, plan.Missed);
        Assert.Equal(0, plan.Skipped);
    }

    [Fact]
    public void Plan_StallLongerThanTheInterval_RunsOnceNotABurst()
    {
        // Every 10 s with a 1-minute threshold, stalled 35 s: three slots came due, all within the threshold.
        var tenSeconds = RecurringSchedule.Create("poll", "*/10 * * * * *", "UTC");
        var after = At(2026, 5, 1, 12, 0, 0);

        var plan = Plan(tenSeconds, after, after.AddSeconds(35), MisfirePolicy.RunOnce);

        Assert.Equal([after.AddSeconds(30)], plan.Run);
        Assert.Equal(2, plan.Skipped);
        Assert.Equal(0, plan.Missed);
        Assert.Equal(after.AddSeconds(40), plan.Next);
    }

    [Fact]
    public void Plan_ThreeDaysDownAcrossSpringForward_RunsOnceForTheShiftedSlot()
    {
        // Down from the 28th's run to the 29th 09:00: the 29th's 02:30 does not exist and its slot is 03:00 +02:00.
        var berlin = RecurringSchedule.Create("nightly", "30 2 * * *", "Europe/Berlin");

        var plan = Plan(berlin, At(2026, 3, 27, 2, 30, 1), At(2026, 3, 29, 9, 0, 2), MisfirePolicy.RunOnce);

        Assert.Equal([At(2026, 3, 29, 3, 0, 2)], plan.Run);
        Assert.Equal(At(2026, 3, 28, 2, 30, 1), plan.LastSkipped);
        Assert.Equal(At(2026, 3, 30, 2, 30, 2), plan.Next);
    }

    [Fact]
    public void Plan_RunAllAcrossFallBack_RunsTheFixedTimeSlotOnce()
    {
        var berlin = RecurringSchedule.Create("nightly", "30 2 * * *", "Europe/Berlin");

        var plan = Plan(berlin, At(2026, 10, 23, 2, 30, 2), At(2026, 10, 26, 9, 0, 1), MisfirePolicy.RunAll);

        Assert.Equal([At(2026, 10, 24, 2, 30, 2), At(2026, 10, 25, 2, 30, 2), At(2026, 10, 26, 2, 30, 1)], plan.Run);
    }

    [Fact]
    public void Plan_WithOptions_UsesTheirPolicyThresholdAndBound()
    {
        var options = new RecurringJobOptions { Misfire = MisfirePolicy.RunAll, MaxCatchUpRuns = 2, MisfireThreshold = TimeSpan.FromHours(1) };

        var plan = MisfirePlanner.Plan(Nightly, Night0, Night0.AddDays(3).AddMinutes(30), options);

        Assert.Equal([Night0.AddDays(2), Night0.AddDays(3)], plan.Run);
        Assert.Equal(2, plan.Missed);
        Assert.Equal(1, plan.Skipped);
    }

    [Fact]
    public void Walk_LateTimerEveryTime_RunsEverySlotOnce()
    {
        var start = At(2026, 5, 1, 12, 0, 0);

        var ran = TimerWalk.Run(EveryMinute, start, start.AddHours(1), TimeSpan.FromSeconds(45), MisfirePolicy.Skip);

        Assert.Equal(Enumerable.Range(1, 59).Select(i => start.AddMinutes(i)), ran);
    }
}
