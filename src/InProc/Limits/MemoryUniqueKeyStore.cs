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

    public void Release(UniqueKey key, JobId holder) => TryRelease(key, holder);

    /// <summary>Releases <paramref name="holder"/>'s claim of <paramref name="key"/>; false when it did not hold it (then nothing changed).</summary>
    public bool TryRelease(UniqueKey key, JobId holder)
    {
        if (_holds.TryGetValue(key, out var current) && current.Holder == holder && _holds.TryRemove(new KeyValuePair<UniqueKey, Hold>(key, current)))
        {
            Interlocked.Decrement(ref _count);
            return true;
        }

        return false;
    }

    /// <summary>The expiry of <paramref name="holder"/>'s claim of <paramref name="key"/>; false when it does not hold it.</summary>
    public bool TryGetExpiry(UniqueKey key, JobId holder, out long expiresTicks)
    {
        var held = _holds.TryGetValue(key, out var hold) && hold.Holder == holder;
        expiresTicks = hold.ExpiresTicks;
        return held;
    }

    /// <summary>Replaces every claim with <paramref name="claims"/> (a durable store's keys read back at start-up).</summary>
    public void ReplaceAll(IEnumerable<(UniqueKey Key, JobId Holder, long ExpiresTicks)> claims)
    {
        _holds.Clear();
        foreach (var (key, holder, expiresTicks) in claims)
        {
            _holds[key] = new Hold(holder, expiresTicks);
        }

        Volatile.Write(ref _count, _holds.Count);
        Volatile.Write(ref _sweepAt, Math.Max(LimitsConstants.MinSweepCount, _holds.Count * 2));
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
