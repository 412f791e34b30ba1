using InProc;
using InProc.Hosting;
using InProc.Monitoring;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Extension methods for IServiceCollection live in its namespace, as the framework's do.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers InProc in a service collection.</summary>
public static class InProcServiceCollectionExtensions
{
    /// <summary>
    /// Adds the InProc runtime: <see cref="IJobQueue"/>, <see cref="IJobMonitor"/> and the hosted service that
    /// starts the workers and drains them on shutdown. Options and job registrations are validated when the host
    /// starts. Calling it again configures the same runtime.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Sets queues, retry, shutdown and hooks.</param>
    /// <returns>A builder for <see cref="InProcBuilder.AddJob{TJob}(Action{JobOptions}?)"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static InProcBuilder AddInProc(this IServiceCollection services, Action<InProcOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<InProcOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InProcOptions>, InProcOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InProcOptions>, InProc.Recurring.RecurringJobsValidator>());
        services.TryAddSingleton<InProcRuntime>();
        services.TryAddSingleton<IJobQueue>(sp => sp.GetRequiredService<InProcRuntime>());
        services.TryAddSingleton<IJobMonitor, JobMonitor>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, InProcHostedService>());
        return new InProcBuilder(services);
    }
}
