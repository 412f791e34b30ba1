using InProc.AspNetCore.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InProc.AspNetCore;

/// <summary>Thresholds of the health checks that <c>AddHealthChecks().AddInProc()</c> registers.</summary>
public sealed class InProcHealthCheckOptions
{
    /// <summary>Gets or sets the readiness check's name; the liveness check is named the same with <c>-live</c> appended.</summary>
    /// <value>The default is <c>inproc</c>.</value>
    public string Name { get; set; } = HealthCheckConstants.DefaultName;

    /// <summary>Gets the readiness check's tags (saturation, waiting age, dead letters, stopping).</summary>
    /// <value>The default is <c>ready</c>.</value>
    public IList<string> ReadinessTags { get; } = [HealthCheckConstants.ReadyTag];

    /// <summary>Gets the liveness check's tags. It fails only when the process should be restarted.</summary>
    /// <value>The default is <c>live</c>.</value>
    public IList<string> LivenessTags { get; } = [HealthCheckConstants.LiveTag];

    /// <summary>Gets or sets the fill (waiting ÷ capacity) above which a queue counts as saturated.</summary>
    /// <value>Greater than 0 and at most 1; the default is 0.8.</value>
    public double SaturationThreshold { get; set; } = HealthCheckConstants.DefaultSaturationThreshold;

    /// <summary>Gets or sets how long a queue must be seen saturated, on every check in a row, before it is reported.</summary>
    /// <value>Zero or more; the default is 1 minute. Zero reports it on the first check that sees it.</value>
    public TimeSpan SaturationDuration { get; set; } = HealthCheckConstants.DefaultSaturationDuration;

    /// <summary>Gets or sets what a saturated queue makes the readiness check.</summary>
    /// <value>The default is <see cref="HealthStatus.Degraded"/>.</value>
    public HealthStatus SaturationStatus { get; set; } = HealthStatus.Degraded;

    /// <summary>Gets or sets how long the oldest job waiting in a queue may have waited (since it was enqueued or scheduled).</summary>
    /// <value>The default is 5 minutes; <see langword="null"/> turns the check off.</value>
    public TimeSpan? MaxWaitingAge { get; set; } = HealthCheckConstants.DefaultMaxWaitingAge;

    /// <summary>Gets or sets what a job waiting longer than <see cref="MaxWaitingAge"/> makes the readiness check.</summary>
    /// <value>The default is <see cref="HealthStatus.Degraded"/>.</value>
    public HealthStatus WaitingAgeStatus { get; set; } = HealthStatus.Degraded;

    /// <summary>Gets or sets what more dead letters than at the previous check make the readiness check.</summary>
    /// <value>The default is <see cref="HealthStatus.Degraded"/>; <see cref="HealthStatus.Healthy"/> turns the check off.</value>
    public HealthStatus DeadLettersGrowingStatus { get; set; } = HealthStatus.Degraded;

    /// <summary>Gets or sets what the readiness check reports once the application is stopping, so a load balancer stops sending work.</summary>
    /// <value>The default is <see cref="HealthStatus.Unhealthy"/>.</value>
    public HealthStatus StoppingStatus { get; set; } = HealthStatus.Unhealthy;
}
