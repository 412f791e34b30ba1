namespace InProc.AspNetCore.HealthChecks;

/// <summary>The health checks' defaults.</summary>
internal static class HealthCheckConstants
{
    public const string DefaultName = "inproc";
    public const string LivenessSuffix = "-live";
    public const string ReadyTag = "ready";
    public const string LiveTag = "live";
    public const double DefaultSaturationThreshold = 0.8;
    public static readonly TimeSpan DefaultSaturationDuration = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan DefaultMaxWaitingAge = TimeSpan.FromMinutes(5);

    /// <summary>The recurring timer re-arms at least once a day; two hours more allow for a slow tick and a frozen minute.</summary>
    public static readonly TimeSpan DefaultMaxRecurringTickAge = TimeSpan.FromHours(26);

    /// <summary>Longer than the core's default misfire threshold (1 minute), so a late timer is not a dead one.</summary>
    public static readonly TimeSpan DefaultRecurringOverdue = TimeSpan.FromMinutes(5);
}
