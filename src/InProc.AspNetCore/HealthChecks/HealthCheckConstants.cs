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
}
