using System.Collections.Concurrent;

namespace InProc.Limits;

/// <summary>
/// The memory store's unique keys: one dictionary entry per held key, claimed by a lock-free add or by replacing an
/// expired entry with a compare-and-set, so of racing claims exactly one wins. Expired keys (a window's, or one whose
/// job outlived its time-to-live) are swept when the count doubles, so the cost stays O(1) amortized per claim.
/// </summary>
internal sealed class MemoryUniqueKeyStore : IUniqueKeyStore
{
    private readonly ConcurrentDictionary<UniqueKey, Hold> _holds = new();
    private int _count;
    private int _sweepAt = LimitsConstants.MinSweepCount;

    public int Count => Volatile.Read(ref _count);

    public ValueTask<UniqueClaim> TryClaimAsync(UniqueKey key, JobId holder, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var hold = new Hold(holder, expiresAt.UtcTicks);
        var nowTicks = now.UtcTicks;
        while (true)
        {
            if (_holds.TryAdd(key, hold))
            {
                if (Interlocked.Increment(ref _count) >= Volatile.Read(ref _sweepAt))
                {
                    Sweep(nowTicks);
                }

                return new ValueTask<UniqueClaim>(UniqueClaim.Won);
            }

            if (!_holds.TryGetValue(key, out var current))
            {
                continue; // released meanwhile: try the add again
            }

            if (current.ExpiresTicks > nowTicks)
            {
                return new ValueTask<UniqueClaim>(UniqueClaim.HeldBy(current.Holder));
            }

            // Expired: replace it only if nobody else did first (the value compare is the compare-and-set).
            if (_holds.TryUpdate(key, hold, current))
            {
                return new ValueTask<UniqueClaim>(UniqueClaim.Won);
            }
        }
    }

    public void Release(UniqueKey key, JobId holder)
    {
        if (_holds.TryGetValue(key, out var current) && current.Holder == holder && _holds.TryRemove(new KeyValuePair<UniqueKey, Hold>(key, current)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private void Sweep(long nowTicks)
    {
        foreach (var (key, hold) in _holds)
        {
            if (hold.ExpiresTicks <= nowTicks && _holds.TryRemove(new KeyValuePair<UniqueKey, Hold>(key, hold)))
            {
                Interlocked.Decrement(ref _count);
            }
        }

        Volatile.Write(ref _sweepAt, Math.Max(LimitsConstants.MinSweepCount, Volatile.Read(ref _count) * 2));
    }

    private readonly record struct Hold(JobId Holder, long ExpiresTicks);
}
