using InProc;
using InProc.Hosting;
using InProc.Monitoring;
using Microsoft.Extensions.Configuration;
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

    /// <summary>
    /// Adds the InProc runtime with its options read from configuration, usually
    /// <c>builder.Configuration.GetSection("InProc")</c>: every runtime setting, the queues keyed by name
    /// (<c>"Queues": { "mail": { "Workers": 2 } }</c>), the options of registered jobs keyed by job class name
    /// (<c>"Jobs": { "SendWelcomeEmailJob": { "Queue": "mail" } }</c>) and of recurring jobs by their name
    /// (<c>"RecurringJobs"</c>).
    /// </summary>
    /// <remarks>
    /// An unknown key, a value of the wrong type, or a job or recurring job that is not registered is a start-up
    /// error (an <see cref="OptionsValidationException"/> when the host starts) whose message names the key's full
    /// path, such as <c>InProc:Queues:mail:Wokers</c>. Times are written <c>hh:mm:ss</c>; enum values by name. The
    /// section is read once, when the options are first built. A job's keys override what its
    /// <c>AddJob&lt;TJob&gt;(j =&gt; ...)</c> lambda set.
    /// </remarks>
    /// <param name="services">The application's services.</param>
    /// <param name="section">The configuration section that holds InProc's settings. A missing section sets nothing.</param>
    /// <returns>A builder for <see cref="InProcBuilder.AddJob{TJob}(Action{JobOptions}?)"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="section"/> is <see langword="null"/>.</exception>
    public static InProcBuilder AddInProc(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return services.AddInProc(section, configure: null);
    }

    /// <summary>
    /// Adds the InProc runtime with its options read from configuration, then adjusted by <paramref name="configure"/>:
    /// the <see cref="Action{T}"/> runs after the section is bound, so what it sets wins (hooks such as
    /// <see cref="InProcOptions.OnJobFailed"/> can only be set here). See <see cref="AddInProc(IServiceCollection, IConfiguration)"/>.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="section">The configuration section that holds InProc's settings. A missing section sets nothing.</param>
    /// <param name="configure">Runs after the section is bound; <see langword="null"/> for none.</param>
    /// <returns>A builder for <see cref="InProcBuilder.AddJob{TJob}(Action{JobOptions}?)"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="section"/> is <see langword="null"/>.</exception>
    public static InProcBuilder AddInProc(this IServiceCollection services, IConfiguration section, Action<InProcOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        services.AddOptions<InProcOptions>()
            .Configure(o => InProcConfiguration.BindOptions(section, o))
            .PostConfigure(o => InProcConfiguration.BindRegistrations(section, o));
        return services.AddInProc(configure);
    }
}
