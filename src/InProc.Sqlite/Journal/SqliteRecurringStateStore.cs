using InProc.Recurring;

namespace InProc.Sqlite.Journal;

/// <summary>
/// Recurring schedules' last claimed slots, in the journal's <c>recurring</c> table: the compare-and-set is made in
/// memory (this process is the file's only owner), and a claim returns once its row is committed, before the slot's
/// run is enqueued, so a crash between the two loses that run rather than running it twice (the contract's choice).
/// </summary>
internal sealed class SqliteRecurringStateStore(JournalWriter writer, Dictionary<string, DateTimeOffset> lastSlots) : IRecurringStateStore
{
    private readonly object _lock = new();

    public ValueTask<DateTimeOffset?> GetLastSlotAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            return new(lastSlots.TryGetValue(name, out var slot) ? slot : null);
        }
    }

    public ValueTask<bool> TryClaimSlotAsync(string name, DateTimeOffset slot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var utc = slot.ToUniversalTime();
        JournalOp op;
        lock (_lock)
        {
            if (lastSlots.TryGetValue(name, out var last) && utc <= last)
            {
                return new(false);
            }

            lastSlots[name] = utc;
            op = JournalOp.Signal(JournalOpKind.ClaimSlot, name, utc.UtcTicks);
            if (!writer.Append(op))
            {
                return new(false); // closed: InProc is stopping, nothing more runs here
            }
        }

        return ClaimedAsync(op.Done!.Task);
    }

    private static async ValueTask<bool> ClaimedAsync(Task committed)
    {
        await committed.ConfigureAwait(false);
        return true;
    }
}
