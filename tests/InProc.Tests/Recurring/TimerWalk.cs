using InProc.Recurring;

namespace InProc.Tests.Recurring;

/// <summary>
/// Drives a schedule the way the runtime's timer will, with explicit times: for each armed slot the timer first
/// fires a millisecond early (nothing may run), then late by <c>lateness</c>; the plan's newest due slot becomes
/// the next tick's <c>after</c>. Returns every slot that ran.
/// </summary>
internal static class TimerWalk
{
    public static List<DateTimeOffset> Run(RecurringSchedule schedule, DateTimeOffset start, DateTimeOffset end, TimeSpan lateness, MisfirePolicy policy = MisfirePolicy.RunOnce)
    {
        var ran = new List<DateTimeOffset>();
        var after = start;
        var threshold = TimeSpan.FromMinutes(1);
        for (var next = schedule.NextAfter(after); next is { } armed && armed < end;)
        {
            var early = MisfirePlanner.Plan(schedule, after, armed - TimeSpan.FromMilliseconds(1), policy, threshold, 10);
            Assert.Empty(early.Run);
            Assert.Equal(armed, early.Next);

            var plan = MisfirePlanner.Plan(schedule, after, armed + lateness, policy, threshold, 10);
            ran.AddRange(plan.Run);
            after = plan.NewestDue ?? after;
            next = plan.Next;
        }

        return ran;
    }

    /// <summary>A local wall-clock time with its offset, written the way a DST table writes it.</summary>
    public static DateTimeOffset At(int year, int month, int day, int hour, int minute, double offsetHours) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(offsetHours));
}
