using System.Threading.RateLimiting;

namespace InProc.Limits;

/// <summary>
/// One registration's rate limiters, one per key (one in all for a global limit), each a framework
/// <see cref="ReplenishingRateLimiter"/> that never replenishes by itself. Before each acquire the partition is
/// replenished once per whole period that passed on InProc's clock since the last replenishment, so time is the
/// caller's <c>now</c> (a fake clock in tests) and no limiter runs a timer. A denied job's retry time is the start of
/// the limiter's current period plus its <see cref="MetadataName.RetryAfter"/>: the replenishment that frees a permit.
/// </summary>
internal sealed class RateGate(RateLimitSpec spec)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Partition> _partitions = new(StringComparer.Ordinal);
    private int _sweepAt = LimitsConstants.MinSweepCount;

    public int PartitionCount
    {
        get
        {
            lock (_lock)
            {
                return _partitions.Count;
            }
        }
    }

    /// <summary>True when a permit was taken for <paramref name="key"/> at <paramref name="now"/>; else when to try again.</summary>
    public bool TryAcquire(string key, DateTimeOffset now, out DateTimeOffset retryAt)
    {
        var nowTicks = now.UtcTicks;
        Partition partition;
        lock (_lock)
        {
            if (!_partitions.TryGetValue(key, out partition!))
            {
                if (_partitions.Count >= _sweepAt)
                {
                    Sweep(nowTicks);
                }

                _partitions[key] = partition = new Partition(spec.Create(), nowTicks);
            }
        }

        lock (partition)
        {
            var periodTicks = spec.Period.Ticks;
            var periods = (nowTicks - partition.LastReplenishedTicks) / periodTicks;
            if (periods > 0)
            {
                for (var i = 0; i < Math.Min(periods, spec.CatchUp); i++)
                {
                    partition.Limiter.TryReplenish();
                }

                partition.LastReplenishedTicks += periods * periodTicks;
            }

            using var lease = partition.Limiter.AttemptAcquire(1);
            if (lease.IsAcquired)
            {
                retryAt = default;
                return true;
            }

            var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : spec.Period;
            var at = partition.LastReplenishedTicks + wait.Ticks;
            retryAt = new DateTimeOffset(Math.Max(at, nowTicks + 1), TimeSpan.Zero);
            return false;
        }
    }

    /// <summary>Drops partitions idle long enough to be full again (acquiring from them anew gives the same answer).</summary>
    private void Sweep(long nowTicks)
    {
        var full = spec.Period.Ticks * spec.CatchUp;
        foreach (var (key, partition) in _partitions)
        {
            if (nowTicks - partition.LastReplenishedTicks > full)
            {
                // Not disposed: a worker may be acquiring from it right now. A limiter that never auto-replenishes
                // holds no timer, so the collector takes it once nobody does.
                _partitions.Remove(key);
            }
        }

        _sweepAt = Math.Max(LimitsConstants.MinSweepCount, _partitions.Count * 2);
    }

    private sealed class Partition(ReplenishingRateLimiter limiter, long createdTicks)
    {
        public ReplenishingRateLimiter Limiter { get; } = limiter;

        public long LastReplenishedTicks { get; set; } = createdTicks;
    }
}
