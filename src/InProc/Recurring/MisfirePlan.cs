namespace InProc.Recurring;

/// <summary>What one tick of a recurring schedule does: the slots to run now and the slot to arm the timer for.</summary>
/// <param name="Run">The slots to run now, oldest first (UTC). Empty when nothing is due or the policy skips it.</param>
/// <param name="Next">The slot to arm for, after every due slot, or null when the expression never fires again.</param>
/// <param name="Missed">How many due slots were more than the threshold late (misfires).</param>
/// <param name="Skipped">How many due slots do not run (the policy dropped them); <see cref="FirstSkipped"/> to <see cref="LastSkipped"/> is their range.</param>
/// <param name="CountsAreExact">False when <see cref="Missed"/> or <see cref="Skipped"/> stopped at <see cref="RecurringConstants.MaxCountedSlots"/> (then they are lower bounds).</param>
/// <param name="FirstSkipped">The oldest skipped slot, or null when none was skipped.</param>
/// <param name="LastSkipped">The newest skipped slot, or null when none was skipped.</param>
internal sealed record MisfirePlan(
    IReadOnlyList<DateTimeOffset> Run,
    DateTimeOffset? Next,
    int Missed,
    int Skipped,
    bool CountsAreExact,
    DateTimeOffset? FirstSkipped,
    DateTimeOffset? LastSkipped)
{
    /// <summary>
    /// The newest slot that came due, run or skipped, or null when none did: the <c>after</c> of the next tick, so a
    /// skipped slot is not weighed again. Only run slots are claimed in the <see cref="IRecurringStateStore"/>.
    /// </summary>
    public DateTimeOffset? NewestDue => Run.Count > 0 ? Run[^1] : LastSkipped;
}
