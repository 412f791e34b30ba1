namespace InProc.AspNetCore.Dashboard;

/// <summary>The dashboard's fixed values.</summary>
internal static class DashboardConstants
{
    public const string DefaultTitle = "InProc";

    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>Jobs per page of the jobs list.</summary>
    public const int PageSize = 50;

    /// <summary>The most rows a dead-letter, scheduled or retrying table shows.</summary>
    public const int MaxRows = 200;

    /// <summary>How far back the overview counts succeeded and failed jobs.</summary>
    public static readonly TimeSpan ThroughputWindow = TimeSpan.FromMinutes(5);

    /// <summary>How often the event stream looks for a change.</summary>
    public static readonly TimeSpan LiveInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long one event stream stays open; the browser then reconnects, so no connection lives forever.</summary>
    public static readonly TimeSpan LiveLifetime = TimeSpan.FromSeconds(60);

    /// <summary>A comment line this often keeps proxies from closing a quiet stream.</summary>
    public static readonly TimeSpan LiveKeepAlive = TimeSpan.FromSeconds(15);
}
