namespace InProc;

/// <summary>
/// What a recurring job does about slots that came due while it could not run: the process was down, frozen or
/// suspended, or the clock jumped. A slot is a miss only when it is more than
/// <see cref="RecurringJobOptions.MisfireThreshold"/> late, so a GC pause or a slow start is not a miss.
/// </summary>
public enum MisfirePolicy
{
    /// <summary>
    /// The default: one run for the latest slot that came due, however many were missed (never N runs after a
    /// restart); the skipped slots are logged and counted. Then the schedule goes on from that slot.
    /// </summary>
    RunOnce = 0,

    /// <summary>
    /// No catch-up: a slot runs only when it is at most <see cref="RecurringJobOptions.MisfireThreshold"/> late;
    /// otherwise the job waits for its next slot. The skipped slots are logged and counted.
    /// </summary>
    Skip = 1,

    /// <summary>
    /// One run for every slot that came due, oldest first, but at most <see cref="RecurringJobOptions.MaxCatchUpRuns"/>
    /// at once: the most recent ones. The older slots beyond that bound are skipped, logged and counted.
    /// </summary>
    RunAll = 2,
}
