namespace InProc.Monitoring;

internal static class MonitoringConstants
{
    public const int DefaultFinishedJobRetention = 10_000;
    public static readonly TimeSpan DefaultFinishedJobRetentionPeriod = TimeSpan.FromHours(1);
    public const int DefaultDeadLetterCapacity = 1_000;
}
