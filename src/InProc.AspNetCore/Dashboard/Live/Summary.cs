using System.Text.Json;

namespace InProc.AspNetCore.Dashboard.Live;

/// <summary>The small picture the live updates carry: counts per state and queue, and a version that changes with them.</summary>
internal sealed class Summary
{
    private static readonly JobState[] States = Enum.GetValues<JobState>();

    private Summary(IReadOnlyList<QueueSnapshot> queues, int[] stateCounts, int deadLetters, string? latest, IReadOnlyList<RecurringJobSnapshot> recurring)
    {
        Queues = queues;
        StateCounts = stateCounts;
        DeadLetters = deadLetters;
        RecurringCount = recurring.Count;
        RecurringPaused = recurring.Count(r => r.IsPaused);
        Version = string.Join('.', stateCounts) + "-" + deadLetters + "-" + latest + "-" + RecurringFingerprint(recurring);
    }

    public IReadOnlyList<QueueSnapshot> Queues { get; }

    /// <summary>Jobs per <see cref="JobState"/>, indexed by the state's value.</summary>
    public IReadOnlyList<int> StateCounts { get; }

    public int DeadLetters { get; }

    public int RecurringCount { get; }

    public int RecurringPaused { get; }

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
        return new Summary(monitor.GetQueues(), counts, letters.Count, latest + lastLetter, monitor.GetRecurringJobs());
    }

    // What the recurring page shows that can change without a job count changing (a pause, a resume, a next slot).
    private static string RecurringFingerprint(IReadOnlyList<RecurringJobSnapshot> recurring)
    {
        var hash = new HashCode();
        foreach (var schedule in recurring)
        {
            hash.Add(schedule.IsPaused);
            hash.Add(schedule.NextRunAt);
            hash.Add(schedule.LastRunJobId);
            hash.Add(schedule.LastRunState);
        }

        return recurring.Count == 0 ? "0" : recurring.Count + "." + ((uint)hash.ToHashCode()).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
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
            json.WriteStartObject("recurring");
            json.WriteNumber("count", RecurringCount);
            json.WriteNumber("paused", RecurringPaused);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
