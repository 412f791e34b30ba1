using InProc.AspNetCore.Dashboard;

namespace InProc.AspNetCore;

/// <summary>Settings of the dashboard that <c>MapInProcDashboard</c> maps.</summary>
public sealed class InProcDashboardOptions
{
    /// <summary>Gets or sets a value indicating whether the dashboard only shows: every action (re-run, purge, cancel) is hidden and refused.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool ReadOnly { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether anonymous users may open the dashboard while the host's environment is
    /// Development. Mapping the dashboard with it in any other environment throws, so it cannot open a production app.
    /// </summary>
    /// <value>The default is <see langword="false"/>: without authorization on its endpoints the dashboard refuses every request.</value>
    public bool AllowAnonymousInDevelopment { get; set; }

    /// <summary>Gets or sets the name shown in the dashboard's header and page titles.</summary>
    /// <value>The default is <c>InProc</c>.</value>
    public string Title { get; set; } = DashboardConstants.DefaultTitle;
}
