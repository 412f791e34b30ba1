namespace InProc.Limits;

/// <summary>
/// One key's rate state, evaluated at the caller's <c>now</c> (ticks of InProc's clock): the same arithmetic as the
/// framework's limiter of that kind, with the periods counted from the clock instead of a timer. Not thread-safe:
/// <see cref="RateGate"/> locks it.
/// </summary>
internal abstract class RateWindow(RateLimitSpec spec, long nowTicks)
{
    protected RateLimitSpec Spec => spec;

    protected long PeriodTicks => spec.Period.Ticks;

    /// <summary>The start of the current period: periods are counted from the key's first use.</summary>
    public long PeriodStart { get; private set; } = nowTicks;

    /// <summary>True when a permit was taken; otherwise the earliest time one may be free.</summary>
    public bool TryAcquire(long now, out long retryAt)
    {
        var periods = (now - PeriodStart) / PeriodTicks;
        if (periods > 0)
        {
            Advance(periods);
            PeriodStart += periods * PeriodTicks;
        }

        if (TryTake())
        {
            retryAt = 0;
            return true;
        }

        retryAt = PeriodStart + (PeriodsUntilFree() * PeriodTicks);
        return false;
    }

    /// <summary>True when the key is back to its initial state (full): it can be dropped and recreated with no difference.</summary>
    public abstract bool IsFull(long now);

    protected abstract void Advance(long periods);

    protected abstract bool TryTake();

    /// <summary>Whole periods from <see cref="PeriodStart"/> until a permit is free again (at least 1).</summary>
    protected abstract long PeriodsUntilFree();
}

internal sealed class TokenBucketWindow(RateLimitSpec spec, long nowTicks) : RateWindow(spec, nowTicks)
{
    private long _tokens = spec.Limit;

    public override bool IsFull(long now) => _tokens + (((now - PeriodStart) / PeriodTicks) * Spec.PermitsPerPeriod) >= Spec.Limit;

    protected override void Advance(long periods) => _tokens = Math.Min(Spec.Limit, _tokens + (periods * Spec.PermitsPerPeriod));

    protected override bool TryTake()
    {
        if (_tokens == 0)
        {
            return false;
        }

        _tokens--;
        return true;
    }

    protected override long PeriodsUntilFree() => 1; // one replenishment adds at least one token
}

internal sealed class FixedWindow(RateLimitSpec spec, long nowTicks) : RateWindow(spec, nowTicks)
{
    private int _used;

    public override bool IsFull(long now) => _used == 0 || now - PeriodStart >= PeriodTicks;

    protected override void Advance(long periods) => _used = 0;

    protected override bool TryTake()
    {
        if (_used == Spec.Limit)
        {
            return false;
        }

        _used++;
        return true;
    }

    protected override long PeriodsUntilFree() => 1; // the next window
}

internal sealed class SlidingWindow(RateLimitSpec spec, long nowTicks) : RateWindow(spec, nowTicks)
{
    private readonly int[] _segments = new int[spec.Segments];
    private int _current;
    private int _total;

    public override bool IsFull(long now) => _total == 0 || now - PeriodStart >= PeriodTicks * Spec.Segments;

    protected override void Advance(long periods)
    {
        // Each period the oldest segment slides out of the window and its permits come back.
        for (var i = 0; i < Math.Min(periods, _segments.Length); i++)
        {
            _current = (_current + 1) % _segments.Length;
            _total -= _segments[_current];
            _segments[_current] = 0;
        }
    }

    protected override bool TryTake()
    {
        if (_total == Spec.Limit)
        {
            return false;
        }

        _segments[_current]++;
        _total++;
        return true;
    }

    protected override long PeriodsUntilFree()
    {
        // The segment that slides out after j more periods is (current + j): the first non-empty one frees permits.
        for (var j = 1; j <= _segments.Length; j++)
        {
            if (_segments[(_current + j) % _segments.Length] > 0)
            {
                return j;
            }
        }

        return 1;
    }
}
