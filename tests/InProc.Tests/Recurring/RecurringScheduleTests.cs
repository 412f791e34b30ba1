using InProc.Recurring;
using static InProc.Tests.Recurring.TimerWalk;

namespace InProc.Tests.Recurring;

public sealed class RecurringScheduleTests
{
    private static readonly TimeSpan OnTime = TimeSpan.FromMilliseconds(5);

    // Next occurrence from the previous slot

    [Fact]
    public void NextAfter_TheSlotItself_IsTheFollowingSlot()
    {
        var schedule = RecurringSchedule.Create("totals", "0 3 * * *", "UTC");
        var slot = At(2026, 5, 4, 3, 0, 0);

        Assert.Equal(At(2026, 5, 5, 3, 0, 0), schedule.NextAfter(slot));
    }

    [Fact]
    public void NextAfter_JustBeforeTheSlot_IsThatSlot()
    {
        // What a scheduler computing from "now" gets when its timer fires 1 ms early: the slot it just ran, again
        // (NCronJob #327). From the slot it ran, the next one is a day later.
        var schedule = RecurringSchedule.Create("totals", "0 3 * * *", "UTC");
        var slot = At(2026, 5, 4, 3, 0, 0);

        Assert.Equal(slot, schedule.NextAfter(slot - TimeSpan.FromMilliseconds(1)));
        Assert.Equal(slot.AddDays(1), schedule.NextAfter(slot));
    }

    [Fact]
    public void NextAfter_ResultIsUtc()
    {
        var schedule = RecurringSchedule.Create("totals", "0 3 * * *", "Europe/Berlin");

        var next = schedule.NextAfter(At(2026, 5, 4, 0, 0, 0));

        Assert.Equal(TimeSpan.Zero, next!.Value.Offset);
        Assert.Equal(At(2026, 5, 4, 1, 0, 0), next);
    }

    // 5 fields, 6 fields (seconds first), macros

    [Theory]
    [InlineData("*/20 * * * *", false, 20 * 60)]
    [InlineData("*/20 * * * * *", true, 20)]
    [InlineData("0 */5 * * * *", true, 5 * 60)]
    [InlineData("@hourly", false, 3600)]
    [InlineData("@every_second", false, 1)]
    [InlineData("  */20   *\t* * *  ", false, 20 * 60)]
    public void Create_FieldCount_PicksTheFormat(string expression, bool seconds, int secondsToNext)
    {
        var schedule = RecurringSchedule.Create("job", expression, "UTC");
        var from = At(2026, 1, 1, 12, 0, 0);

        Assert.Equal(seconds, schedule.IncludesSeconds);
        Assert.Equal(from.AddSeconds(secondsToNext), schedule.NextAfter(from));
    }

    [Fact]
    public void Create_JitterH_IsTheSameForTheSameName()
    {
        var from = At(2026, 1, 1, 0, 0, 0);

        var first = RecurringSchedule.Create("reports", "H 4 * * *", "UTC").NextAfter(from);
        var again = RecurringSchedule.Create("reports", "H 4 * * *", "UTC").NextAfter(from);

        Assert.Equal(first, again);
        Assert.Equal(4, first!.Value.Hour);
    }

    [Fact]
    public void StableSeed_IsFnv1aOfTheName_SoEveryHostAndRestartAgrees()
    {
        // Pinned: changing the seed would move every H schedule of every user on upgrade.
        Assert.Equal(unchecked((int)0x811C9DC5u), RecurringSchedule.StableSeed(string.Empty));
        Assert.Equal(unchecked((int)((0x811C9DC5u ^ 'a') * 16777619u)), RecurringSchedule.StableSeed("a"));
        Assert.NotEqual(RecurringSchedule.StableSeed("purge"), RecurringSchedule.StableSeed("totals"));
    }

    [Fact]
    public void Create_MacroDaily_IsMidnightNotJittered()
    {
        var schedule = RecurringSchedule.Create("daily", "@daily", "UTC");

        Assert.Equal(At(2026, 1, 2, 0, 0, 0), schedule.NextAfter(At(2026, 1, 1, 12, 0, 0)));
    }

    [Fact]
    public void Create_BothDayFields_MatchesOnlyDaysWithBoth()
    {
        // Cronos ANDs day-of-month and day-of-week (Vixie cron ORs them): Friday the 13th, not every Friday and every 13th.
        var schedule = RecurringSchedule.Create("friday13", "0 0 13 * 5", "UTC");

        Assert.Equal(At(2026, 2, 13, 0, 0, 0), schedule.NextAfter(At(2026, 1, 1, 0, 0, 0)));
        Assert.Equal(At(2026, 3, 13, 0, 0, 0), schedule.NextAfter(At(2026, 2, 13, 0, 0, 0)));
        Assert.Equal(At(2026, 11, 13, 0, 0, 0), schedule.NextAfter(At(2026, 3, 13, 0, 0, 0)));
    }

    [Theory]
    [InlineData("0 0 30 2 *", false)]
    [InlineData("0 0 31 4 *", false)]
    [InlineData("0 0 29 2 1", true)]
    [InlineData("0 3 * * *", true)]
    public void EverFires_ImpossibleDate_IsFalse(string expression, bool fires)
    {
        Assert.Equal(fires, RecurringSchedule.Create("job", expression, "UTC").EverFires());
    }

    // Time zones

    [Theory]
    [InlineData("UTC")]
    [InlineData("utc")]
    public void Create_Utc_IsTheUtcZone(string id)
    {
        Assert.Same(TimeZoneInfo.Utc, RecurringSchedule.Create("job", "0 3 * * *", id).TimeZone);
    }

    [Theory]
    [InlineData("W. Europe Standard Time", "Europe/Berlin")]
    [InlineData("Eastern Standard Time", "America/New_York")]
    public void Create_WindowsZoneId_HasTheRulesOfItsIanaZone(string windowsId, string ianaId)
    {
        var windows = RecurringSchedule.Create("job", "30 2 * * *", windowsId);
        var iana = RecurringSchedule.Create("job", "30 2 * * *", ianaId);

        Assert.True(windows.TimeZone.HasSameRules(iana.TimeZone));
        var from = At(2026, 3, 1, 0, 0, 0);
        Assert.Equal(Walk(iana, from), Walk(windows, from));

        static List<DateTimeOffset> Walk(RecurringSchedule s, DateTimeOffset from) => TimerWalk.Run(s, from, from.AddMonths(9), OnTime);
    }

    [Fact]
    public void ToLocal_Slot_IsTheSameInstantWithTheZonesOffset()
    {
        var schedule = RecurringSchedule.Create("job", "30 2 * * *", "Europe/Berlin");

        var local = schedule.ToLocal(At(2026, 3, 29, 1, 0, 0));

        Assert.Equal(At(2026, 3, 29, 3, 0, 2), local);
        Assert.Equal(new DateTime(2026, 3, 29, 3, 0, 0), local.DateTime);
    }

    // DST, Europe/Berlin: 2026-03-29 02:00 +01:00 jumps to 03:00 +02:00; 2026-10-25 03:00 +02:00 falls back to 02:00 +01:00

    [Fact]
    public void Walk_BerlinSpringForward_SkippedTimeRunsOnceAtThreeLocal()
    {
        var schedule = RecurringSchedule.Create("nightly", "30 2 * * *", "Europe/Berlin");

        var ran = TimerWalk.Run(schedule, At(2026, 3, 27, 12, 0, 1), At(2026, 3, 31, 12, 0, 2), OnTime);

        Assert.Equal(
            [At(2026, 3, 28, 2, 30, 1), At(2026, 3, 29, 3, 0, 2), At(2026, 3, 30, 2, 30, 2), At(2026, 3, 31, 2, 30, 2)],
            ran);
    }

    [Fact]
    public void Walk_BerlinSpringForward_IntervalJobRunsOnceForTheMissingHour()
    {
        var schedule = RecurringSchedule.Create("sync", "*/30 * * * *", "Europe/Berlin");

        var ran = TimerWalk.Run(schedule, At(2026, 3, 29, 0, 59, 1), At(2026, 3, 29, 4, 0, 2), OnTime);

        // 02:00 and 02:30 do not exist; both fall on 03:00 +02:00, which runs once.
        Assert.Equal([At(2026, 3, 29, 1, 0, 1), At(2026, 3, 29, 1, 30, 1), At(2026, 3, 29, 3, 0, 2), At(2026, 3, 29, 3, 30, 2)], ran);
    }

    [Fact]
    public void Walk_BerlinFallBack_FixedTimeJobRunsOnce()
    {
        var schedule = RecurringSchedule.Create("nightly", "30 2 * * *", "Europe/Berlin");

        var ran = TimerWalk.Run(schedule, At(2026, 10, 24, 12, 0, 2), At(2026, 10, 26, 12, 0, 1), OnTime);

        // 02:30 happens twice on the 25th (+02:00, then +01:00); only the first runs.
        Assert.Equal([At(2026, 10, 25, 2, 30, 2), At(2026, 10, 26, 2, 30, 1)], ran);
    }

    [Fact]
    public void Walk_BerlinFallBack_IntervalJobRunsInBothOffsets()
    {
        var schedule = RecurringSchedule.Create("sync", "*/30 * * * *", "Europe/Berlin");

        var ran = TimerWalk.Run(schedule, At(2026, 10, 25, 1, 59, 2), At(2026, 10, 25, 3, 0, 1), OnTime);

        // The repeated hour 02:00-03:00: four runs, an hour of real time.
        Assert.Equal([At(2026, 10, 25, 2, 0, 2), At(2026, 10, 25, 2, 30, 2), At(2026, 10, 25, 2, 0, 1), At(2026, 10, 25, 2, 30, 1)], ran);
    }

    [Fact]
    public void Walk_BerlinFallBack_HourlyJobRunsAtBothTwoOClocks()
    {
        var schedule = RecurringSchedule.Create("hourly", "0 * * * *", "Europe/Berlin");

        var ran = TimerWalk.Run(schedule, At(2026, 10, 25, 0, 30, 2), At(2026, 10, 25, 3, 30, 1), OnTime);

        Assert.Equal([At(2026, 10, 25, 1, 0, 2), At(2026, 10, 25, 2, 0, 2), At(2026, 10, 25, 2, 0, 1), At(2026, 10, 25, 3, 0, 1)], ran);
    }

    // DST, America/New_York: 2026-03-08 02:00 -05:00 jumps to 03:00 -04:00; 2026-11-01 02:00 -04:00 falls back to 01:00 -05:00

    [Fact]
    public void Walk_NewYorkSpringForward_SkippedTimeRunsOnceAtThreeLocal()
    {
        var schedule = RecurringSchedule.Create("nightly", "30 2 * * *", "America/New_York");

        var ran = TimerWalk.Run(schedule, At(2026, 3, 6, 12, 0, -5), At(2026, 3, 9, 12, 0, -4), OnTime);

        Assert.Equal([At(2026, 3, 7, 2, 30, -5), At(2026, 3, 8, 3, 0, -4), At(2026, 3, 9, 2, 30, -4)], ran);
    }

    [Fact]
    public void Walk_NewYorkFallBack_FixedTimeJobRunsOnce()
    {
        var schedule = RecurringSchedule.Create("nightly", "30 1 * * *", "America/New_York");

        var ran = TimerWalk.Run(schedule, At(2026, 10, 31, 12, 0, -4), At(2026, 11, 2, 12, 0, -5), OnTime);

        Assert.Equal([At(2026, 11, 1, 1, 30, -4), At(2026, 11, 2, 1, 30, -5)], ran);
    }

    [Fact]
    public void Walk_NewYorkFallBack_IntervalJobRunsInBothOffsets()
    {
        var schedule = RecurringSchedule.Create("sync", "*/30 * * * *", "America/New_York");

        var ran = TimerWalk.Run(schedule, At(2026, 11, 1, 0, 59, -4), At(2026, 11, 1, 2, 0, -5), OnTime);

        Assert.Equal([At(2026, 11, 1, 1, 0, -4), At(2026, 11, 1, 1, 30, -4), At(2026, 11, 1, 1, 0, -5), At(2026, 11, 1, 1, 30, -5)], ran);
    }

    [Fact]
    public void Walk_NewYorkSpringForward_SecondsJobSkipsNoRealSecond()
    {
        // A 6-field interval job: the local hour 02:00-03:00 does not exist, and real time goes on at 03:00 -04:00.
        var schedule = RecurringSchedule.Create("tick", "0 */15 * * * *", "America/New_York");

        var ran = TimerWalk.Run(schedule, At(2026, 3, 8, 1, 30, -5), At(2026, 3, 8, 3, 31, -4), OnTime);

        Assert.Equal([At(2026, 3, 8, 1, 45, -5), At(2026, 3, 8, 3, 0, -4), At(2026, 3, 8, 3, 15, -4), At(2026, 3, 8, 3, 30, -4)], ran);
    }
}
