using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InProc.AspNetCore.HealthChecks;

/// <summary>
/// Should the process be restarted? Only for faults a restart cures: a recurring scheduler whose clock died (its
/// heartbeat is stale, or a schedule's next slot is well past). Saturation, waiting jobs and dead letters are the
/// readiness check's: restarting a busy in-memory process would lose its queue.
/// </summary>
internal sealed class InProcLivenessCheck(InProcHealthCheckOptions options, HealthCheckState state, IJobMonitor monitor, TimeProvider time) : IHealthCheck
{
    /// <summary>The most overdue schedules the description names; the data counts them all.</summary>
    private const int NamedOverdue = 3;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var queues = monitor.GetQueues().Count;
        var schedules = monitor.GetRecurringJobs();
        var active = schedules.Where(s => !s.IsPaused).ToList();
        var tick = monitor.LastRecurringTick;
        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["queues"] = queues, ["recurring"] = schedules.Count, ["recurringPaused"] = schedules.Count - active.Count };
        if (tick is { } t)
        {
            data["recurringLastTick"] = t.ToString("O", CultureInfo.InvariantCulture);
        }

        var findings = new List<string>();
        var activeSince = state.RecurringActive(active.Count > 0, now);
        if (options.RecurringStalledStatus != HealthStatus.Healthy && activeSince is { } since)
        {
            // A heartbeat from before any schedule ran (all paused, then one resumed) proves nothing either way.
            var reference = tick is { } last && last > since ? last : since;
            if (options.MaxRecurringTickAge is { } maxAge && now - reference > maxAge)
            {
                findings.Add(tick is { } seen
                    ? string.Create(CultureInfo.InvariantCulture, $"the recurring scheduler last ticked at {seen:O}, {(now - seen).TotalHours:0.#} h ago (more than {maxAge.TotalHours:0.#} h)")
                    : string.Create(CultureInfo.InvariantCulture, $"the recurring scheduler has not ticked in the {(now - since).TotalHours:0.#} h since {since:O} (more than {maxAge.TotalHours:0.#} h)"));
            }

            if (options.RecurringOverdue is { } overdue)
            {
                var late = active.Where(s => s.NextRunAt is { } next && now - next > overdue).OrderBy(s => s.NextRunAt).ToList();
                data["recurringOverdue"] = late.Count;
                if (late.Count > 0)
                {
                    var named = string.Join(", ", late.Take(NamedOverdue).Select(s => string.Create(CultureInfo.InvariantCulture, $"'{s.Name}' (due {s.NextRunAt:O}, {(now - s.NextRunAt!.Value).TotalMinutes:0} min ago)")));
                    findings.Add(string.Create(CultureInfo.InvariantCulture, $"{late.Count} recurring job(s) overdue by more than {overdue.TotalMinutes:0.#} min: {named}{(late.Count > NamedOverdue ? ", …" : string.Empty)}"));
                }
            }
        }

        if (findings.Count > 0)
        {
            return Task.FromResult(new HealthCheckResult(options.RecurringStalledStatus, "InProc's recurring jobs are stalled: " + string.Join("; ", findings) + ". A restart re-arms their timer.", data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"InProc answers ({queues} queue(s), {schedules.Count} recurring job(s)).", data));
    }
}
