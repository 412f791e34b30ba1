namespace InProc.Retry;

internal static class RetryConstants
{
    public const int DefaultMaxAttempts = 5;

    // The longest delay a policy may state: a retry further away than a year is a scheduled job, not a retry.
    public static readonly TimeSpan MaxDelayLimit = TimeSpan.FromDays(365);
    public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromMinutes(5);

    // With jitter a delay is drawn from [JitterLowFraction × d, d]: spread enough that a burst of failures does
    // not come back in lockstep, and never longer than the delay the policy states (so MaxDelay is a true cap).
    public const double JitterLowFraction = 0.75;
}
