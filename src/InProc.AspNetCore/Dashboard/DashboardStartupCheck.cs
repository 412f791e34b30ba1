using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InProc.AspNetCore.Dashboard;

/// <summary>
/// Once the app has started (its endpoints and their conventions, such as RequireAuthorization, are final), says in
/// the log whether the dashboard is closed for want of authorization or open to anonymous users.
/// </summary>
internal static class DashboardStartupCheck
{
    public static void Register(IEndpointRouteBuilder endpoints, DashboardEndpointMetadata marker, DashboardSettings settings)
    {
        var services = endpoints.ServiceProvider;
        if (services.GetService<IHostApplicationLifetime>() is not { } lifetime)
        {
            return;
        }

        lifetime.ApplicationStarted.Register(() =>
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("InProc.AspNetCore.Dashboard");
            var ours = endpoints.DataSources
                .SelectMany(source => source.Endpoints)
                .Where(endpoint => ReferenceEquals(endpoint.Metadata.GetMetadata<DashboardEndpointMetadata>(), marker))
                .ToList();
            if (ours.TrueForAll(endpoint => DashboardGuard.IsProtected(endpoint.Metadata)))
            {
                return;
            }

            if (settings.AllowAnonymous)
            {
                Log.DashboardAnonymous(logger, marker.Prefix);
            }
            else
            {
                Log.DashboardClosed(logger, marker.Prefix);
            }
        });
    }
}
