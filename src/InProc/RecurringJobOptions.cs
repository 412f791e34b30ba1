using InProc.Recurring;

namespace InProc;

/// <summary>
/// Settings of one recurring job, given to
/// <see cref="InProcRecurringBuilderExtensions.AddRecurringJob{TJob}(InProcBuilder, string, string, Action{RecurringJobOptions}?)"/>.
/// Checked at start-up with the other options.
/// </summary>
public sealed class RecurringJobOptions
{
    /// <summary>Gets or sets the time zone the cron expression is read in.</summary>
    /// <value>
    /// An IANA id (<c>"Europe/Berlin"</c>) or a Windows id (<c>"W. Europe Standard Time"</c>); either works on every
    /// OS where .NET has time zone data and ICU. The default is <c>"UTC"</c>, never the machine's local zone.
    /// </value>
    public string TimeZone { get; set; } = RecurringConstants.DefaultTimeZone;

    /// <summary>Gets or sets the queue the runs go to.</summary>
    /// <value>A configured queue name, or <see langword="null"/> for the job's own queue (<see cref="JobOptions.Queue"/>). The default is <see langword="null"/>.</value>
    public string? Queue { get; set; }

    /// <summary>Gets or sets what happens to slots missed while the job could not run.</summary>
    /// <value>The default is <see cref="MisfirePolicy.RunOnce"/>: one catch-up run, never N.</value>
    public MisfirePolicy Misfire { get; set; } = MisfirePolicy.RunOnce;

    /// <summary>Gets or sets how late a slot may be and still count as on time rather than missed.</summary>
    /// <value>
    /// A positive time. The default is 1 minute (Quartz's default too): more than a GC pause or a slow start, and
    /// the shortest interval of a 5-field expression. Zero is refused: a timer always fires a little late, so every
    /// slot of a <see cref="MisfirePolicy.Skip"/> job would be a miss.
    /// </value>
    public TimeSpan MisfireThreshold { get; set; } = RecurringConstants.DefaultMisfireThreshold;

    /// <summary>Gets or sets the most runs <see cref="MisfirePolicy.RunAll"/> makes at once for slots that came due together.</summary>
    /// <value>At least 1. The default is 10; the most recent slots run, the older ones are skipped and logged.</value>
    public int MaxCatchUpRuns { get; set; } = RecurringConstants.DefaultMaxCatchUpRuns;

    /// <summary>Gets or sets what happens when a slot comes while the previous run still runs.</summary>
    /// <value>The default is <see cref="OverlapPolicy.Skip"/>.</value>
    public OverlapPolicy Overlap { get; set; } = OverlapPolicy.Skip;

    /// <summary>Gets or sets whether the schedule runs; a disabled job is registered (and can be resumed or triggered) but paused.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;
}
