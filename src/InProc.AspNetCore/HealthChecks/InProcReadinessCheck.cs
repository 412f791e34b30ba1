using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace InProc.AspNetCore.HealthChecks;

/// <summary>Ready to take work? Degraded or unhealthy on saturation, a long wait, growing dead letters, or stopping.</summary>
internal sealed class InProcReadinessCheck(InProcHealthCheckOptions options, HealthCheckState state, IJobMonitor monitor, TimeProvider time, IHostApplicationLifetime? lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var findings = new List<(HealthStatus Status, string Text)>();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);

        if (lifetime?.ApplicationStopping.IsCancellationRequested == true)
        {
            findings.Add((options.StoppingStatus, "the application is stopping"));
        }

        foreach (var queue in monitor.GetQueues())
        {
            var fill = queue.Capacity > 0 ? (double)queue.Waiting / queue.Capacity : 0;
            data["queue." + queue.Name + ".waiting"] = queue.Waiting;
            data["queue." + queue.Name + ".capacity"] = queue.Capacity;
            if (state.Saturated(queue.Name, fill >= options.SaturationThreshold, now) is { } since && now - since >= options.SaturationDuration)
            {
                findings.Add((options.SaturationStatus, string.Create(CultureInfo.InvariantCulture, $"queue '{queue.Name}' is {fill * 100:0}% full ({queue.Waiting}/{queue.Capacity}) since {since:O}")));
            }
        }

        if (options.MaxWaitingAge is { } maxAge
            && monitor.GetJobs(new JobQuery { State = JobState.Enqueued, OldestFirst = true, Take = 1 }).Items is [var oldest, ..])
        {
            var age = now - oldest.EnqueuedAt;
            data["oldestWaitingSeconds"] = Math.Max(0, age.TotalSeconds);
            if (age > maxAge)
            {
                findings.Add((options.WaitingAgeStatus, string.Create(CultureInfo.InvariantCulture, $"job {oldest.Id} in queue '{oldest.Queue}' has waited {age.TotalSeconds:0} s (more than {maxAge.TotalSeconds:0} s)")));
            }
        }

        var deadLetters = monitor.GetDeadLetters().Count;
        var previous = state.ExchangeDeadLetters(deadLetters);
        data["deadLetters"] = deadLetters;
        if (deadLetters > previous)
        {
            findings.Add((options.DeadLettersGrowingStatus, string.Create(CultureInfo.InvariantCulture, $"dead letters grew from {previous} to {deadLetters} since the last check")));
        }

        var reported = findings.Where(f => f.Status != HealthStatus.Healthy).ToList();
        if (reported.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy("InProc is ready.", data));
        }

        var worst = reported.Min(f => f.Status); // Unhealthy (0) < Degraded (1) < Healthy (2)
        return Task.FromResult(new HealthCheckResult(worst, "InProc: " + string.Join("; ", reported.Select(f => f.Text)) + ".", data: data));
    }
}
