namespace InProc.Recurring;

/// <summary>
/// Keeps, per recurring schedule name, the last slot that was claimed for a run: the state that makes a restart
/// apply the misfire policy instead of running a slot again, and many hosts run each slot once.
/// </summary>
/// <remarks>
/// <para>Contract, for every implementation:</para>
/// <list type="bullet">
/// <item><description>
/// <see cref="TryClaimSlotAsync"/> is an atomic compare-and-set. It succeeds, records <c>slot</c> as the name's
/// last slot and returns <see langword="true"/> only when <c>slot</c> is later than every slot claimed for the name
/// before (by this process, an earlier process, or another host). Otherwise it changes nothing and returns
/// <see langword="false"/>: the caller must not run that slot. Of concurrent claims of one (name, slot), exactly one
/// succeeds; a claim of a slot older than the last one fails (a host whose clock lags cannot re-run a slot).
/// </description></item>
/// <item><description>
/// The runtime claims a slot before it enqueues the slot's run, oldest first when a policy runs several. A durable
/// store should commit the claim and the enqueued job together (one transaction); if they are separate, a crash
/// between them loses that slot's run rather than running it twice.
/// </description></item>
/// <item><description>
/// <see cref="GetLastSlotAsync"/> returns the last claimed slot, or <see langword="null"/> for a name never
/// claimed. Slots are instants: compare them as instants, store them in UTC.
/// </description></item>
/// <item><description>
/// Names are compared ordinally. A store keeps a name's state when its schedule changes or disappears; the
/// misfire planner reads the old slot against the new expression, which is correct.
/// </description></item>
/// </list>
/// <para>
/// Implementations: <see cref="MemoryRecurringStateStore"/> (one process; state dies with it, so after a restart
/// a schedule starts afresh); the SQLite journal persists the same row per name; PostgreSQL makes the claim one
/// conditional <c>UPDATE ... WHERE name = @name AND last_slot &lt; @slot</c> (or an insert for a new name), one row
/// updated meaning claimed, so each slot runs once across hosts without a leader.
/// </para>
/// </remarks>
internal interface IRecurringStateStore
{
    /// <summary>Gets the last slot claimed for <paramref name="name"/>, or <see langword="null"/> when none was.</summary>
    /// <param name="name">The recurring job's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The last claimed slot (UTC), or <see langword="null"/>.</returns>
    ValueTask<DateTimeOffset?> GetLastSlotAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Claims <paramref name="slot"/> for <paramref name="name"/> if it is later than every slot claimed before.</summary>
    /// <param name="name">The recurring job's name.</param>
    /// <param name="slot">The scheduled instant to run.</param>
    /// <param name="cancellationToken">Cancels the claim (then it may or may not have been made).</param>
    /// <returns><see langword="true"/> when this caller claimed the slot and must run it; <see langword="false"/> when it was already claimed, or a later slot was.</returns>
    ValueTask<bool> TryClaimSlotAsync(string name, DateTimeOffset slot, CancellationToken cancellationToken = default);
}
