using System.Text.Json.Serialization;

namespace InProc;

/// <summary>Why a job that could run is waiting (<see cref="JobSnapshot.WaitingOn"/>). Serialized to JSON as its name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobWaitReason>))]
public enum JobWaitReason
{
    /// <summary>Its concurrency key has as many jobs running as the limit allows; it runs when one of them ends (state <see cref="JobState.Enqueued"/>, holding no worker).</summary>
    ConcurrencyLimit = 0,

    /// <summary>Its rate limiter had no permit; it runs when the limiter says one is available (state <see cref="JobState.Scheduled"/>, see <see cref="JobSnapshot.NextAttemptAt"/>).</summary>
    RateLimit = 1,
}
