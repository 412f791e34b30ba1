using System.Threading.RateLimiting;

namespace InProc.Limits;

/// <summary>
/// One rate limit's settings: a factory of <see cref="ReplenishingRateLimiter"/>s that never replenish by themselves
/// (<c>AutoReplenishment = false</c>, no queue). <see cref="RateGate"/> replenishes them from InProc's clock, so a fake
/// clock drives them and no limiter runs a timer of its own.
/// </summary>
internal sealed class RateLimitSpec
{
    private readonly Func<ReplenishingRateLimiter> _create;

    private RateLimitSpec(Func<ReplenishingRateLimiter> create)
    {
        _create = create;
        using var probe = create(); // the limiter's own validation, at AddJob rather than at the first job
        Period = probe.ReplenishmentPeriod;
        CatchUp = 1; // a fixed window: one replenishment opens a new window
    }

    /// <summary>How often the limiter is replenished once.</summary>
    public TimeSpan Period { get; }

    /// <summary>The most replenishments that can change anything: more periods than this since the last one fill the limiter completely.</summary>
    public int CatchUp { get; private set; }

    public ReplenishingRateLimiter Create() => _create();

    /// <summary><c>perSecond</c> jobs a second: a bucket of one second's tokens, one token every 1/<c>perSecond</c> second (rounded up, so never faster).</summary>
    public static RateLimitSpec PerSecond(int perSecond)
    {
        if (perSecond < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(perSecond), perSecond, "RateLimit needs at least 1 job per second; for fewer, pass a TokenBucketRateLimiterOptions with a longer ReplenishmentPeriod.");
        }

        return Of(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perSecond,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromTicks((TimeSpan.TicksPerSecond + perSecond - 1) / perSecond),
        });
    }

    public static RateLimitSpec Of(TokenBucketRateLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.TokenLimit,
            TokensPerPeriod = options.TokensPerPeriod,
            ReplenishmentPeriod = options.ReplenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = false,
        };
        return new RateLimitSpec(() => new TokenBucketRateLimiter(copy))
        {
            CatchUp = (copy.TokenLimit + copy.TokensPerPeriod - 1) / Math.Max(1, copy.TokensPerPeriod),
        };
    }

    public static RateLimitSpec Of(FixedWindowRateLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.PermitLimit,
            Window = options.Window,
            QueueLimit = 0,
            AutoReplenishment = false,
        };
        return new RateLimitSpec(() => new FixedWindowRateLimiter(copy));
    }

    public static RateLimitSpec Of(SlidingWindowRateLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = new SlidingWindowRateLimiterOptions
        {
            PermitLimit = options.PermitLimit,
            Window = options.Window,
            SegmentsPerWindow = options.SegmentsPerWindow,
            QueueLimit = 0,
            AutoReplenishment = false,
        };
        return new RateLimitSpec(() => new SlidingWindowRateLimiter(copy)) { CatchUp = Math.Max(1, copy.SegmentsPerWindow) };
    }
}
