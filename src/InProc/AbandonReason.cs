namespace InProc;

/// <summary>Why a job was abandoned (see <see cref="JobState.Abandoned"/>).</summary>
public enum AbandonReason
{
    /// <summary>The queue was full and its <see cref="QueueFullMode"/> dropped the job.</summary>
    QueueFull = 0,

    /// <summary>The application stopped before the job finished: it was still queued, scheduled, waiting for a retry, or running past the shutdown timeout.</summary>
    Shutdown = 1,
}
