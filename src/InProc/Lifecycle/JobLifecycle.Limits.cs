using InProc.Execution;
using InProc.Store;

namespace InProc.Lifecycle;

internal sealed partial class JobLifecycle
{
    /// <summary>
    /// A job its rate limiter turned away: Enqueued → Scheduled on the same attempt, due when a permit is available.
    /// Not a failed attempt: no error, no retry counted.
    /// </summary>
    public bool TryDefer(Envelope envelope, DateTimeOffset dueAt)
    {
        var attempt = envelope.Attempt;
        envelope.DueAt = dueAt;
        return Apply(envelope, new JobTransition(JobState.Enqueued, attempt, JobState.Scheduled, attempt));
    }

    /// <summary>
    /// A still-scheduled job moved to a new due time (a debounced duplicate): Scheduled → Scheduled by compare-and-set,
    /// so a journal records the new time. Its older scheduler entry is skipped when it comes due.
    /// </summary>
    public bool TryReschedule(Envelope envelope, DateTimeOffset dueAt)
    {
        var attempt = envelope.Attempt;
        if (envelope.State != JobState.Scheduled)
        {
            return false;
        }

        envelope.DueAt = dueAt;
        return Apply(envelope, new JobTransition(JobState.Scheduled, attempt, JobState.Scheduled, attempt));
    }
}
