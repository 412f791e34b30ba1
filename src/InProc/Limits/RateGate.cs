namespace InProc.Limits;

/// <summary>
/// One registration's rate windows, one per key (one in all for a global limit), evaluated at the caller's <c>now</c>
/// on InProc's clock, so a fake clock drives them and no timer runs. A denied job is given the time its window frees
/// a permit. The window does not know about jobs already waiting, so each period's permits are handed out as retry
/// times to as many waiters as it frees and later waiters get later periods: a backlog of N is re-checked about N
/// times, not N per period. The window still decides every start, so this spreading can make a waiter wait longer,
/// never let more through.
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
        lock (_lock)
        {
            if (!_partitions.TryGetValue(key, out var partition))
            {
                if (_partitions.Count >= _sweepAt)
                {
                    Sweep(nowTicks);
                }

                _partitions[key] = partition = new Partition(spec.Create(nowTicks));
            }

            if (partition.Window.TryAcquire(nowTicks, out var at))
            {
                retryAt = default;
                return true;
            }

            retryAt = new DateTimeOffset(partition.Reserve(Math.Max(at, nowTicks + 1), spec.PermitsPerPeriod, spec.Period.Ticks), TimeSpan.Zero);
            return false;
        }
    }

    /// <summary>Drops keys whose window is full again (recreating one gives the same answers), so memory follows the keys in use.</summary>
    private void Sweep(long nowTicks)
    {
        foreach (var (key, partition) in _partitions)
        {
            if (partition.Window.IsFull(nowTicks) && partition.ReservedUntil <= nowTicks)
            {
                _partitions.Remove(key);
            }
        }

        _sweepAt = Math.Max(LimitsConstants.MinSweepCount, _partitions.Count * 2);
    }

    private sealed class Partition(RateWindow window)
    {
        private int _reservedCount;

        public RateWindow Window { get; } = window;

        public long ReservedUntil { get; private set; }

        /// <summary>The earliest period at or after <paramref name="earliest"/> that still has a permit no waiter was promised.</summary>
        public long Reserve(long earliest, int perPeriod, long periodTicks)
        {
            if (earliest > ReservedUntil)
            {
                ReservedUntil = earliest;
                _reservedCount = 0;
            }

            if (_reservedCount == perPeriod)
            {
                ReservedUntil += periodTicks;
                _reservedCount = 0;
            }

            _reservedCount++;
            return ReservedUntil;
        }
    }
}
