using Microsoft.AspNetCore.Antiforgery;

namespace InProc.AspNetCore.Dashboard;

/// <summary>What one mapped dashboard needs at request time, fixed when it was mapped.</summary>
internal sealed class DashboardSettings(string prefix, InProcDashboardOptions options, bool isDevelopment, TimeProvider time, IAntiforgery antiforgery)
{
    /// <summary>The route prefix without a trailing slash ("" for the root).</summary>
    public string Prefix { get; } = prefix.TrimEnd('/');

    public bool ReadOnly { get; } = options.ReadOnly;

    public bool AllowAnonymous { get; } = options.AllowAnonymousInDevelopment && isDevelopment;

    public string Title { get; } = options.Title;

    public TimeProvider Time { get; } = time;

    public IAntiforgery Antiforgery { get; } = antiforgery;
}
