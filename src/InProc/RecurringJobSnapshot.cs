namespace InProc;

/// <summary>
/// A recurring job at one moment, as <see cref="IJobMonitor.GetRecurringJobs"/> saw it: its schedule, its next slot,
/// and its last run (a normal job, whose current state is read from the monitor's records).
/// </summary>
public sealed class RecurringJobSnapshot
{
    internal RecurringJobSnapshot(
        string name,
        string expression,
        string timeZone,
        string queue,
        DateTimeOffset? nextRunAt,
        DateTimeOffset? lastRunSlot,
        JobId? lastRunJobId,
        JobState? lastRunState,
        bool isPaused,
        MisfirePolicy misfire,
        OverlapPolicy overlap)
    {
        Name = name;
        Expression = expression;
        TimeZone = timeZone;
        Queue = queue;
        NextRunAt = nextRunAt;
        LastRunSlot = lastRunSlot;
        LastRunJobId = lastRunJobId;
        LastRunState = lastRunState;
        IsPaused = isPaused;
        Misfire = misfire;
        Overlap = overlap;
    }

    /// <summary>Gets the schedule's unique name.</summary>
    /// <value>The name given to <c>AddRecurringJob</c>.</value>
    public string Name { get; }

    /// <summary>Gets the cron expression.</summary>
    /// <value>The expression as it was registered.</value>
    public string Expression { get; }

    /// <summary>Gets the time zone the expression is read in.</summary>
    /// <value>The configured <see cref="RecurringJobOptions.TimeZone"/> id, such as <c>"UTC"</c> or <c>"Europe/Berlin"</c>.</value>
    public string TimeZone { get; }

    /// <summary>Gets the queue the runs go to.</summary>
    /// <value><see cref="RecurringJobOptions.Queue"/>, or the job's own queue when that is <see langword="null"/>.</value>
    public string Queue { get; }

    /// <summary>Gets the next slot the schedule will run.</summary>
    /// <value>
    /// A UTC instant; <see langword="null"/> while paused, before InProc started, or when the expression fires no more.
    /// A slot well in the past on a schedule that is not paused means its timer is not firing (see
    /// <see cref="IJobMonitor.LastRecurringTick"/>).
    /// </value>
    public DateTimeOffset? NextRunAt { get; }

    /// <summary>Gets the slot of the last run that was enqueued.</summary>
    /// <value>
    /// The scheduled time (UTC) the run stands for, not the time it ran; for a run started by
    /// <see cref="IJobMonitor.TriggerRecurring"/>, the time of the trigger. <see langword="null"/> before the first run.
    /// </value>
    public DateTimeOffset? LastRunSlot { get; }

    /// <summary>Gets the job id of the last run.</summary>
    /// <value>A normal job's id (look it up with <see cref="IJobMonitor.GetJob"/>), or <see langword="null"/> before the first run.</value>
    public JobId? LastRunJobId { get; }

    /// <summary>Gets the current state of the last run's job: its outcome once it has finished.</summary>
    /// <value>
    /// The state <see cref="IJobMonitor.GetJob"/> reports, such as <see cref="JobState.Running"/>, <see cref="JobState.Succeeded"/>
    /// or <see cref="JobState.Failed"/>; <see langword="null"/> before the first run or when its finished record was forgotten
    /// (see <see cref="InProcOptions.FinishedJobRetention"/>).
    /// </value>
    public JobState? LastRunState { get; }

    /// <summary>Gets whether the schedule is paused.</summary>
    /// <value><see langword="true"/> after <see cref="IJobMonitor.PauseRecurring"/>, or from the start when <see cref="RecurringJobOptions.Enabled"/> is <see langword="false"/>.</value>
    public bool IsPaused { get; }

    /// <summary>Gets what the schedule does about missed slots.</summary>
    /// <value>The configured <see cref="RecurringJobOptions.Misfire"/>.</value>
    public MisfirePolicy Misfire { get; }

    /// <summary>Gets what the schedule does when a slot comes while the previous run still runs.</summary>
    /// <value>The configured <see cref="RecurringJobOptions.Overlap"/>.</value>
    public OverlapPolicy Overlap { get; }
}
