namespace InProc.Limits;

/// <summary>Defaults of unique jobs and limits.</summary>
internal static class LimitsConstants
{
    /// <summary>The longest a unique key is held unless configured: a day outlasts the default retries many times over.</summary>
    public static readonly TimeSpan DefaultUniqueTimeToLive = TimeSpan.FromHours(24);

    /// <summary>Key stores sweep expired keys when they hold twice as many as after the last sweep, and never below this.</summary>
    public const int MinSweepCount = 1_024;

    /// <summary>The key text of the one limiter a job without a rate key shares.</summary>
    public const string GlobalKey = "";
}
