using Microsoft.Extensions.DependencyInjection.Extensions;

namespace InProc.Samples.Worker;

/// <summary>The sample's registrations, one call from <c>Program.cs</c>, so a test builds the very same host.</summary>
public static class ReportsServiceCollectionExtensions
{
    /// <summary>Adds InProc from the <c>"InProc"</c> section, the report job and the timer that enqueues it.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration (appsettings.json, environment, command line).</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration configuration)
    {
        // TryAdd: a test registers a fake clock or its own store first.
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IReportStore, LoggingReportStore>();
        services.Configure<ReportsOptions>(configuration.GetSection(ReportsOptions.SectionName));

        // Queues, shutdown timeout, the job's queue and retry: all from appsettings.json.
        services.AddInProc(configuration.GetSection("InProc"))
            .AddJob<WriteReportJob>();

        services.AddHostedService<ReportTicker>();
        return services;
    }
}
