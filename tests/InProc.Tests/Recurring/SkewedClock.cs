using InProc.Testing;

namespace InProc.Tests.Recurring;

/// <summary>
/// A <see cref="TimerAwareFakeTimeProvider"/> whose timers fire off their due time by <see cref="TimerSkew"/> (negative:
/// early, positive: late), and whose clock can <see cref="Jump"/> without firing anything on the way, as a frozen
/// container or a suspended laptop sees it: then the overdue timers fire at once, late.
/// </summary>
internal sealed class SkewedClock(DateTimeOffset start) : TimeProvider
{
    private readonly TimerAwareFakeTimeProvider _inner = new(start);
    private readonly List<SkewedTimer> _timers = [];
    private long _offsetTicks;

    public TimeSpan TimerSkew { get; set; }

    /// <summary>Armed timers (as the inner clock counts them).</summary>
    public int ActiveTimerCount => _inner.ActiveTimerCount;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override long GetTimestamp() => _inner.GetTimestamp() + Interlocked.Read(ref _offsetTicks);

    /// <summary>Moves the clock, firing timers on the way (each at its due time plus the skew).</summary>
    public void AdvanceStepwise(TimeSpan delta) => _inner.AdvanceStepwise(delta);

    /// <summary>Moves the clock at once, firing nothing on the way; then every timer that is overdue fires, late.</summary>
    public void Jump(TimeSpan delta)
    {
        Interlocked.Add(ref _offsetTicks, delta.Ticks);
        SkewedTimer[] timers;
        lock (_timers)
        {
            timers = [.. _timers];
        }

        foreach (var timer in timers)
        {
            timer.FireIfOverdue(GetUtcNow());
        }

        _inner.AdvanceStepwise(TimeSpan.Zero);
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SkewedTimer(this, _inner.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        lock (_timers)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class SkewedTimer(SkewedClock clock, ITimer inner) : ITimer
    {
        private DateTimeOffset? _dueAt;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                _dueAt = null;
                return inner.Change(dueTime, period);
            }

            _dueAt = clock.GetUtcNow() + dueTime;
            // A re-arm shorter than an early skew fires on time, as a real timer's short wait does (else it would spin).
            var skew = clock.TimerSkew < TimeSpan.Zero && dueTime <= -clock.TimerSkew ? TimeSpan.Zero : clock.TimerSkew;
            var skewed = dueTime + skew;
            return inner.Change(skewed > TimeSpan.Zero ? skewed : TimeSpan.Zero, period);
        }

        public void FireIfOverdue(DateTimeOffset now)
        {
            if (_dueAt is { } due && due <= now)
            {
                inner.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            }
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
