using InProc;
using InProc.AspNetCore;
using InProc.AspNetCore.Dashboard;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

#pragma warning disable IDE0130 // Endpoint mapping extensions live in the namespace of app.MapGet, as the framework's do.
namespace Microsoft.AspNetCore.Builder;
#pragma warning restore IDE0130

/// <summary>Maps InProc's dashboard.</summary>
public static class InProcDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the dashboard's pages, assets, live-update stream and actions under <paramref name="prefix"/>. It is denied
    /// unless authorized: add <c>.RequireAuthorization("policy")</c> to the result, or every request gets 403 and the
    /// start-up log says how to open it.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="prefix">Where the dashboard lives, for example <c>/inproc</c>.</param>
    /// <param name="configure">Sets <see cref="InProcDashboardOptions"/>.</param>
    /// <returns>The route group of every dashboard endpoint, for <c>RequireAuthorization</c> and other conventions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="prefix"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> does not start with <c>/</c>.</exception>
    /// <exception cref="InvalidOperationException">
    /// <see cref="InProcDashboardOptions.AllowAnonymousInDevelopment"/> is set outside the Development environment, or
    /// InProc or the antiforgery services are not registered (call <c>AddInProc()</c> and <c>AddInProcDashboard()</c>).
    /// </exception>
    public static IEndpointConventionBuilder MapInProcDashboard(this IEndpointRouteBuilder endpoints, string prefix = "/inproc", Action<InProcDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (!prefix.StartsWith('/'))
        {
            throw new ArgumentException($"The dashboard's prefix must start with '/', for example \"/inproc\"; it was \"{prefix}\".", nameof(prefix));
        }

        var options = new InProcDashboardOptions();
        configure?.Invoke(options);

        var services = endpoints.ServiceProvider;
        var environment = services.GetRequiredService<IHostEnvironment>();
        if (options.AllowAnonymousInDevelopment && !environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"InProcDashboardOptions.AllowAnonymousInDevelopment is refused in the '{environment.EnvironmentName}' environment: it is for a developer machine (Development) only. " +
                $"Remove it and protect the dashboard with app.MapInProcDashboard(\"{prefix}\").RequireAuthorization(\"your-policy\").");
        }

        if (services.GetService<IJobMonitor>() is null)
        {
            throw new InvalidOperationException("The InProc dashboard needs InProc: call builder.Services.AddInProc(...) before mapping it.");
        }

        var antiforgery = services.GetService<IAntiforgery>()
            ?? throw new InvalidOperationException("The InProc dashboard validates an antiforgery token on every action: call builder.Services.AddInProcDashboard() (or AddAntiforgery()) before mapping it.");

        var settings = new DashboardSettings(prefix, options, environment.IsDevelopment(), services.GetService<TimeProvider>() ?? TimeProvider.System, antiforgery);
        var marker = new DashboardEndpointMetadata(prefix);
        var group = endpoints.MapGroup(prefix);
        group.WithMetadata(marker);
        group.ExcludeFromDescription();
        DashboardEndpoints.Map(group, settings);
        DashboardStartupCheck.Register(endpoints, marker, settings);
        return group;
    }
}
