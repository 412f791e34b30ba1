#pragma warning disable IDE0130 // Extension methods for IServiceCollection live in its namespace, as the framework's do.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers what InProc's dashboard needs.</summary>
public static class InProcDashboardServiceCollectionExtensions
{
    /// <summary>Adds the services the dashboard needs besides InProc itself: antiforgery, which protects its actions.</summary>
    /// <param name="services">The application's services.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddInProcDashboard(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddAntiforgery();
        return services;
    }
}
