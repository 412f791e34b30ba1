namespace InProc.Recurring;

/// <summary>
/// Decides, for one tick of a recurring schedule, which slots run now and which slot comes next. Pure: "now" and
/// the last slot are parameters, so the same call serves a timer that fired on time, early or late, a start after
/// a restart (the last slot from the state store), and a clock that jumped after a frozen container.
/// </summary>
/// <remarks>
/// The slots due are those after <c>after</c> up to and including <c>now</c>. One tick runs at most one of them,
/// except under <see cref="MisfirePolicy.RunAll"/>: a stall that let several slots come due is one late run, not a
/// burst. The next slot is computed from the last due slot, never from "now".
/// </remarks>
internal static class MisfirePlanner
{
    /// <summary>Plans one tick with the policy, threshold and bound of <paramref name="options"/>.</summary>
    public static MisfirePlan Plan(RecurringSchedule schedule, DateTimeOffset after, DateTimeOffset now, RecurringJobOptions options) =>
        Plan(schedule, after, now, options.Misfire, options.MisfireThreshold, options.MaxCatchUpRuns);

    /// <summary>Plans one tick.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="after">
    /// The last slot that ran (claimed in the <see cref="IRecurringStateStore"/>); for a schedule that never ran, the
    /// instant it was first armed (so nothing before it counts as missed).
    /// </param>
    /// <param name="now">The current time.</param>
    /// <param name="policy">What to do with missed slots.</param>
    /// <param name="threshold">How late a slot may be and still be on time.</param>
    /// <param name="maxCatchUpRuns">The most runs one tick makes under <see cref="MisfirePolicy.RunAll"/>.</param>
    public static MisfirePlan Plan(RecurringSchedule schedule, DateTimeOffset after, DateTimeOffset now, MisfirePolicy policy, TimeSpan threshold, int maxCatchUpRuns)
    {
        var first = schedule.NextAfter(after);
        if (first is not { } firstDue || firstDue > now)
        {
            // Nothing due: a timer that fired early, or a clock set back behind the last slot. Arm for the slot
            // after the last one, which has not run.
            return new MisfirePlan([], first, 0, 0, true, null, null);
        }

        var runAll = policy == MisfirePolicy.RunAll;
        var keep = runAll ? Math.Max(1, maxCatchUpRuns) : 1;

        // One more than is run, so the newest skipped slot is known too.
        var recent = NewestDue(schedule, after, now, keep + 1);
        var latest = recent[^1];
        var run = policy switch
        {
            MisfirePolicy.RunAll => recent.Count > keep ? recent.GetRange(1, keep) : recent,
            MisfirePolicy.Skip => now - latest <= threshold ? [latest] : [],
            _ => [latest],
        };

        var (due, dueExact) = Count(schedule, after, now);
        // A miss is more than the threshold late: strictly before now - threshold.
        var (missed, missedExact) = Count(schedule, after, now - threshold - TimeSpan.FromTicks(1));
        var skipped = due - run.Count;
        DateTimeOffset? lastSkipped = skipped <= 0 ? null : recent.Count > run.Count ? recent[^(run.Count + 1)] : null;
        return new MisfirePlan(
            run,
            schedule.NextAfter(latest),
            missed,
            Math.Max(skipped, 0),
            dueExact && missedExact,
            skipped > 0 ? firstDue : null,
            lastSkipped);
    }

    /// <summary>
    /// The newest <paramref name="keep"/> slots in (after, now], oldest first, found by searching a window back from
    /// now that doubles until it holds enough (or reaches <paramref name="after"/>): after a month down, an
    /// every-second job costs a few dozen searches, not 2.6 million.
    /// </summary>
    private static List<DateTimeOffset> NewestDue(RecurringSchedule schedule, DateTimeOffset after, DateTimeOffset now, int keep)
    {
        var found = new Queue<DateTimeOffset>(keep + 1);
        for (var window = RecurringConstants.FirstSearchWindow; ; window += window)
        {
            var reachedAfter = window >= now - after;
            var start = reachedAfter ? after : now - window;
            found.Clear();
            for (var slot = schedule.NextAfter(start); slot is { } s && s <= now; slot = schedule.NextAfter(s))
            {
                found.Enqueue(s);
                if (found.Count > keep)
                {
                    found.Dequeue();
                }
            }

            if (found.Count >= keep || reachedAfter)
            {
                return [.. found];
            }
        }
    }

    /// <summary>The number of slots in (after, until], up to <see cref="RecurringConstants.MaxCountedSlots"/>.</summary>
    private static (int Count, bool Exact) Count(RecurringSchedule schedule, DateTimeOffset after, DateTimeOffset until)
    {
        var count = 0;
        for (var slot = schedule.NextAfter(after); slot is { } s && s <= until; slot = schedule.NextAfter(s))
        {
            if (++count == RecurringConstants.MaxCountedSlots)
            {
                return (count, schedule.NextAfter(s) is not { } more || more > until);
            }
        }

        return (count, true);
    }
}
