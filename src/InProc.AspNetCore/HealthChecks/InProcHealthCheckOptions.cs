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

    /// <summary>Gets the liveness check's tags (the recurring scheduler's heartbeat). It fails only when the process should be restarted.</summary>
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

    /// <summary>
    /// Gets or sets how old the recurring scheduler's heartbeat (<see cref="IJobMonitor.LastRecurringTick"/>) may be while
    /// a schedule is not paused. Its timer fires for every slot and at least once a day, so an older one means it died.
    /// </summary>
    /// <value>
    /// The default is 26 hours; <see langword="null"/> turns the check off. A heartbeat that never came counts from when
    /// this check first saw a schedule that is not paused (a new process has not ticked yet, and need not for a day).
    /// </value>
    public TimeSpan? MaxRecurringTickAge { get; set; } = HealthCheckConstants.DefaultMaxRecurringTickAge;

    /// <summary>Gets or sets how far in the past the next slot of a schedule that is not paused may be: further means its timer is not firing.</summary>
    /// <value>The default is 5 minutes; <see langword="null"/> turns the check off.</value>
    public TimeSpan? RecurringOverdue { get; set; } = HealthCheckConstants.DefaultRecurringOverdue;

    /// <summary>
    /// Gets or sets what a stale heartbeat or an overdue schedule makes the liveness check (a restart re-arms the recurring timer).
    /// With no recurring jobs, or all of them paused, there is nothing to check.
    /// </summary>
    /// <value>The default is <see cref="HealthStatus.Unhealthy"/>; <see cref="HealthStatus.Healthy"/> turns both checks off.</value>
    public HealthStatus RecurringStalledStatus { get; set; } = HealthStatus.Unhealthy;

    /// <summary>Gets or sets what the readiness check reports once the application is stopping, so a load balancer stops sending work.</summary>
    /// <value>The default is <see cref="HealthStatus.Unhealthy"/>.</value>
    public HealthStatus StoppingStatus { get; set; } = HealthStatus.Unhealthy;
}
