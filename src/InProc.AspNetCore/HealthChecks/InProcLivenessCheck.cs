using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InProc.AspNetCore.HealthChecks;

/// <summary>
/// Should the process be restarted? Only for faults a restart cures. Saturation, waiting jobs and dead letters are
/// the readiness check's: restarting a busy in-memory process would lose its queue.
/// </summary>
internal sealed class InProcLivenessCheck(IJobMonitor monitor) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // TODO(issue 10): report Unhealthy when the recurring scheduler's heartbeat is older than a threshold (the
        // clock process dying unnoticed, USERS.md #9). InProc exposes no heartbeat yet; until then the check only
        // proves the runtime answers.
        var queues = monitor.GetQueues().Count;
        return Task.FromResult(HealthCheckResult.Healthy($"InProc answers ({queues} queue(s)).", new Dictionary<string, object> { ["queues"] = queues }));
    }
}
