using System.Collections.Concurrent;

namespace InProc.Recurring;

/// <summary>The in-process <see cref="IRecurringStateStore"/>: a compare-and-set per name on a concurrent dictionary.</summary>
internal sealed class MemoryRecurringStateStore : IRecurringStateStore
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSlots = new(StringComparer.Ordinal);

    public ValueTask<DateTimeOffset?> GetLastSlotAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new(_lastSlots.TryGetValue(name, out var slot) ? slot : null);
    }

    public ValueTask<bool> TryClaimSlotAsync(string name, DateTimeOffset slot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var utc = slot.ToUniversalTime();

        // TryAdd / TryUpdate compare the value read: a claim that raced with another retries against the winner's
        // slot, and fails unless it is later still.
        while (true)
        {
            if (!_lastSlots.TryGetValue(name, out var last))
            {
                if (_lastSlots.TryAdd(name, utc))
                {
                    return new(true);
                }

                continue;
            }

            if (utc <= last)
            {
                return new(false);
            }

            if (_lastSlots.TryUpdate(name, utc, last))
            {
                return new(true);
            }
        }
    }
}
