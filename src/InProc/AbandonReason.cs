namespace InProc;

/// <summary>Why a job was abandoned (see <see cref="JobState.Abandoned"/>).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<AbandonReason>))]
public enum AbandonReason
{
    /// <summary>The queue was full and its <see cref="QueueFullMode"/> dropped the job.</summary>
    QueueFull = 0,

    /// <summary>The application stopped before the job finished: it was still queued, scheduled, waiting for a retry, or running past the shutdown timeout.</summary>
    Shutdown = 1,

    /// <summary>
    /// InProc itself failed unexpectedly while handling the job (a bug, or an exception from somewhere no guard
    /// expected). The job is reported rather than left in a state that would never change; the log has the cause.
    /// </summary>
    Fault = 2,
}
