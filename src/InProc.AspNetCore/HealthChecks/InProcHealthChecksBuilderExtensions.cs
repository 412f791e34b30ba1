using InProc;
using InProc.AspNetCore;
using InProc.AspNetCore.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

#pragma warning disable IDE0130 // Extension methods for IHealthChecksBuilder live in its namespace, as the framework's do.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers InProc's health checks.</summary>
public static class InProcHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds two checks. Readiness (named <see cref="InProcHealthCheckOptions.Name"/>, tagged <c>ready</c>): degraded when
    /// a queue has been saturated for <see cref="InProcHealthCheckOptions.SaturationDuration"/>, when the oldest waiting
    /// job waited longer than <see cref="InProcHealthCheckOptions.MaxWaitingAge"/>, when dead letters grew since the last
    /// check; unhealthy once the application is stopping. Liveness (the name plus <c>-live</c>, tagged <c>live</c>):
    /// unhealthy when a recurring schedule is not paused and the scheduler's heartbeat is older than
    /// <see cref="InProcHealthCheckOptions.MaxRecurringTickAge"/> or a next slot is more than
    /// <see cref="InProcHealthCheckOptions.RecurringOverdue"/> past; healthy with no recurring jobs.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="configure">Changes the thresholds and tags.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A threshold is out of its range (see <see cref="InProcHealthCheckOptions"/>).</exception>
    public static IHealthChecksBuilder AddInProc(this IHealthChecksBuilder builder, Action<InProcHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new InProcHealthCheckOptions();
        configure?.Invoke(options);
        if (options.SaturationThreshold is not (> 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(configure), options.SaturationThreshold, "InProcHealthCheckOptions.SaturationThreshold must be greater than 0 and at most 1 (a fill: waiting ÷ capacity).");
        }

        if (options.SaturationDuration < TimeSpan.Zero || options.MaxWaitingAge < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(configure), "InProcHealthCheckOptions.SaturationDuration and MaxWaitingAge must not be negative.");
        }

        if (options.MaxRecurringTickAge <= TimeSpan.Zero || options.RecurringOverdue <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(configure), "InProcHealthCheckOptions.MaxRecurringTickAge and RecurringOverdue must be positive, or null to turn them off.");
        }

        var state = new HealthCheckState();
        builder.Add(new HealthCheckRegistration(
            options.Name,
            sp => new InProcReadinessCheck(options, state, sp.GetRequiredService<IJobMonitor>(), sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetService<IHostApplicationLifetime>()),
            failureStatus: null,
            tags: [.. options.ReadinessTags]));
        builder.Add(new HealthCheckRegistration(
            options.Name + HealthCheckConstants.LivenessSuffix,
            sp => new InProcLivenessCheck(options, state, sp.GetRequiredService<IJobMonitor>(), sp.GetService<TimeProvider>() ?? TimeProvider.System),
            failureStatus: null,
            tags: [.. options.LivenessTags]));
        return builder;
    }
}
