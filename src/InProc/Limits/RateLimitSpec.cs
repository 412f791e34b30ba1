using System.Threading.RateLimiting;

namespace InProc.Limits;

/// <summary>
/// One rate limit's settings, from the <see cref="System.Threading.RateLimiting"/> options types users know, and the
/// factory of its per-key windows. InProc evaluates the options itself on its own clock (<see cref="RateWindow"/>):
/// the framework's limiters read the real clock even with <c>AutoReplenishment = false</c> (they refill by elapsed
/// <c>Stopwatch</c> time), so a fake clock could not drive them and a test would have to sleep.
/// </summary>
internal sealed class RateLimitSpec
{
    private RateLimitSpec(RateKind kind, int limit, int perPeriod, TimeSpan period, int segments)
    {
        Kind = kind;
        Limit = limit;
        PermitsPerPeriod = perPeriod;
        Period = period;
        Segments = segments;
    }

    public RateKind Kind { get; }

    /// <summary>The bucket's size, or the window's permit limit.</summary>
    public int Limit { get; }

    /// <summary>Permits one period frees: tokens per period, a fixed window's limit, a sliding window's share per segment.</summary>
    public int PermitsPerPeriod { get; }

    /// <summary>The replenishment period, a fixed window, or one segment of a sliding window.</summary>
    public TimeSpan Period { get; }

    public int Segments { get; }

    /// <summary>A new key's window, full, starting at <paramref name="nowTicks"/>.</summary>
    public RateWindow Create(long nowTicks) => Kind switch
    {
        RateKind.TokenBucket => new TokenBucketWindow(this, nowTicks),
        RateKind.FixedWindow => new FixedWindow(this, nowTicks),
        _ => new SlidingWindow(this, nowTicks),
    };

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
        Validate(() => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.TokenLimit,
            TokensPerPeriod = options.TokensPerPeriod,
            ReplenishmentPeriod = options.ReplenishmentPeriod,
            AutoReplenishment = false,
        }));
        return new RateLimitSpec(RateKind.TokenBucket, options.TokenLimit, options.TokensPerPeriod, options.ReplenishmentPeriod, 1);
    }

    public static RateLimitSpec Of(FixedWindowRateLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(() => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.PermitLimit,
            Window = options.Window,
            AutoReplenishment = false,
        }));
        return new RateLimitSpec(RateKind.FixedWindow, options.PermitLimit, options.PermitLimit, options.Window, 1);
    }

    public static RateLimitSpec Of(SlidingWindowRateLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(() => new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = options.PermitLimit,
            Window = options.Window,
            SegmentsPerWindow = options.SegmentsPerWindow,
            AutoReplenishment = false,
        }));
        var segment = TimeSpan.FromTicks(Math.Max(1, options.Window.Ticks / options.SegmentsPerWindow));
        return new RateLimitSpec(RateKind.SlidingWindow, options.PermitLimit, Math.Max(1, options.PermitLimit / options.SegmentsPerWindow), segment, options.SegmentsPerWindow);
    }

    /// <summary>The framework's own checks and messages (a zero limit, a zero period), at AddJob rather than at the first job.</summary>
    private static void Validate(Func<ReplenishingRateLimiter> create)
    {
        using var probe = create();
    }
}

internal enum RateKind
{
    TokenBucket,
    FixedWindow,
    SlidingWindow,
}
