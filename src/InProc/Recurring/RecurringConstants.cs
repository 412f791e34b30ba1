namespace InProc.Recurring;

internal static class RecurringConstants
{
    /// <summary>Never the machine's local zone: a server's zone is an accident of the image it runs on.</summary>
    public const string DefaultTimeZone = "UTC";

    /// <summary>
    /// Quartz's default misfire threshold (60 s): longer than a timer's usual lateness, a GC pause or a slow start,
    /// and as long as the shortest interval of a 5-field expression, so an every-minute job is a miss only once its
    /// next slot is due too.
    /// </summary>
    public static readonly TimeSpan DefaultMisfireThreshold = TimeSpan.FromMinutes(1);

    public const int DefaultMaxCatchUpRuns = 10;

    /// <summary>
    /// Skipped slots are counted for the log up to this many (a job running every second, down for a month,
    /// skipped 2.6 million); beyond it the count is a lower bound and the plan says so.
    /// </summary>
    public const int MaxCountedSlots = 10_000;

    /// <summary>The first window searched back from "now" for the latest due slot; it doubles until a slot is found.</summary>
    public static readonly TimeSpan FirstSearchWindow = TimeSpan.FromSeconds(1);
}
