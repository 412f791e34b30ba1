using System.Text.Json;

namespace InProc.AspNetCore.Dashboard.Live;

/// <summary>The small picture the live updates carry: counts per state and queue, and a version that changes with them.</summary>
internal sealed class Summary
{
    private static readonly JobState[] States = Enum.GetValues<JobState>();

    private Summary(IReadOnlyList<QueueSnapshot> queues, int[] stateCounts, int deadLetters, string? latest)
    {
        Queues = queues;
        StateCounts = stateCounts;
        DeadLetters = deadLetters;
        Version = string.Join('.', stateCounts) + "-" + deadLetters + "-" + latest;
    }

    public IReadOnlyList<QueueSnapshot> Queues { get; }

    /// <summary>Jobs per <see cref="JobState"/>, indexed by the state's value.</summary>
    public IReadOnlyList<int> StateCounts { get; }

    public int DeadLetters { get; }

    /// <summary>Changes whenever a count changes; a page rendered at another version is stale.</summary>
    public string Version { get; }

    public static Summary Take(IJobMonitor monitor)
    {
        var counts = new int[States.Length];
        foreach (var state in States)
        {
            counts[(int)state] = monitor.GetJobs(new JobQuery { State = state, Take = 1 }).TotalCount;
        }

        var latest = monitor.GetJobs(new JobQuery { Take = 1 }).Items is [var newest, ..] ? newest.Id.ToString() : null;
        var letters = monitor.GetDeadLetters();
        var lastLetter = letters.Count > 0 ? letters[^1].Id.ToString() : null;
        return new Summary(monitor.GetQueues(), counts, letters.Count, latest + lastLetter);
    }

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("version", Version);
            json.WriteNumber("deadLetters", DeadLetters);
            json.WriteStartObject("states");
            foreach (var state in States)
            {
                json.WriteNumber(state.ToString(), StateCounts[(int)state]);
            }

            json.WriteEndObject();
            json.WriteStartArray("queues");
            foreach (var queue in Queues)
            {
                json.WriteStartObject();
                json.WriteString("name", queue.Name);
                json.WriteNumber("workers", queue.Workers);
                json.WriteNumber("running", queue.Running);
                json.WriteNumber("waiting", queue.Waiting);
                json.WriteNumber("capacity", queue.Capacity);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
