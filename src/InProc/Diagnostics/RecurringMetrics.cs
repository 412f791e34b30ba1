using System.Diagnostics.Metrics;

namespace InProc.Diagnostics;

/// <summary>
/// The recurring jobs' instruments on the <c>"InProc"</c> meter: what became of each slot, and when the timer last
/// ticked (a dead clock shows as a gauge that stops moving).
/// </summary>
internal sealed class RecurringMetrics
{
    public const string Ran = "ran";
    public const string SkippedOverlap = "skipped_overlap";
    public const string SkippedMisfire = "skipped_misfire";
    public const string FailedToEnqueue = "failed_to_enqueue";

    private readonly Counter<long> _runs;

    public RecurringMetrics(Meter meter, Func<DateTimeOffset?> lastTick)
    {
        _runs = meter.CreateCounter<long>(
            "inproc.recurring.runs", "{run}", "Slots of recurring jobs, by what became of them: ran, skipped_overlap, skipped_misfire or failed_to_enqueue.");
        meter.CreateObservableGauge(
            "inproc.recurring.last_tick", () => LastTick(lastTick), "s", "When the recurring jobs' timer last fired, in seconds since the Unix epoch (UTC).");
    }

    public void Count(string name, string outcome, long slots = 1)
    {
        if (_runs.Enabled && slots > 0)
        {
            _runs.Add(slots, new KeyValuePair<string, object?>(TagNames.RecurringName, name), new KeyValuePair<string, object?>(TagNames.RecurringOutcome, outcome));
        }
    }

    private static IEnumerable<Measurement<double>> LastTick(Func<DateTimeOffset?> lastTick)
    {
        if (lastTick() is { } tick)
        {
            yield return new Measurement<double>((tick - DateTimeOffset.UnixEpoch).TotalSeconds);
        }
    }
}
