namespace InProc.AspNetCore.Dashboard;

/// <summary>Marks the endpoints of one mapped dashboard, so the start-up check finds them among the app's endpoints.</summary>
internal sealed class DashboardEndpointMetadata(string prefix)
{
    public string Prefix { get; } = prefix;
}
