using System.Text.Json.Serialization;

namespace InProc;

/// <summary>Where a job is in its life. Serialized to JSON as its name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobState>))]
public enum JobState
{
    /// <summary>Waiting for its due time (a delayed job).</summary>
    Scheduled = 0,

    /// <summary>In its queue, waiting for a worker.</summary>
    Enqueued = 1,

    /// <summary>A worker is running it.</summary>
    Running = 2,

    /// <summary>Finished without an exception.</summary>
    Succeeded = 3,

    /// <summary>An attempt failed; the next attempt waits for its backoff.</summary>
    Retrying = 4,

    /// <summary>Out of attempts, or failed with an exception that is not retried: it is in the dead letters.</summary>
    Failed = 5,

    /// <summary>Cancelled by the application before it started.</summary>
    Cancelled = 6,

    /// <summary>Never finished: dropped from a full queue, or still queued or running when the application stopped.</summary>
    Abandoned = 7,
}
