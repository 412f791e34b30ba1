using Microsoft.Extensions.Logging;

namespace InProc.AspNetCore.Dashboard;

/// <summary>Every message the ASP.NET Core add-on logs. Never reuse or renumber an id.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "DashboardClosed", Level = LogLevel.Warning,
        Message = "The InProc dashboard at {Prefix} refuses every request: no authorization is configured on it. Open it with app.MapInProcDashboard(\"{Prefix}\").RequireAuthorization(\"your-policy\"), or, on a developer machine only, with o.AllowAnonymousInDevelopment = true.")]
    public static partial void DashboardClosed(ILogger logger, string prefix);

    [LoggerMessage(EventId = 2, EventName = "DashboardAnonymous", Level = LogLevel.Warning,
        Message = "The InProc dashboard at {Prefix} is open to anonymous users because AllowAnonymousInDevelopment is set and the environment is Development.")]
    public static partial void DashboardAnonymous(ILogger logger, string prefix);

    [LoggerMessage(EventId = 3, EventName = "DashboardActionRefused", Level = LogLevel.Warning,
        Message = "InProc dashboard refused a {Method} to {Path}: {Reason}.")]
    public static partial void ActionRefused(ILogger logger, string method, string path, string reason);
}
