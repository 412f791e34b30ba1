using Microsoft.AspNetCore.Http;

namespace InProc.AspNetCore.Dashboard;

/// <summary>
/// The recurring page's POST actions (trigger now, pause, resume). Each runs only after
/// <see cref="DashboardGuard.CheckActionAsync"/>; a name no schedule has gets 404.
/// </summary>
internal static class RecurringActions
{
    public static Task TriggerAsync(DashboardRequest request) => WithScheduleAsync(request, name =>
    {
        try
        {
            var id = request.Monitor.TriggerRecurring(name);
            request.Redirect(id is { } run ? $"/jobs/{run}?notice=triggered" : "/recurring?notice=notriggered");
            return Task.CompletedTask;
        }
        catch (InvalidOperationException)
        {
            return DashboardGuard.RefuseAsync(request.Http, StatusCodes.Status409Conflict, "The application is stopping: nothing can be triggered now.");
        }
    });

    public static Task PauseAsync(DashboardRequest request) => WithScheduleAsync(request, name =>
    {
        request.Redirect(request.Monitor.PauseRecurring(name) ? "/recurring?notice=paused" : "/recurring?notice=alreadypaused");
        return Task.CompletedTask;
    });

    public static Task ResumeAsync(DashboardRequest request) => WithScheduleAsync(request, name =>
    {
        request.Redirect(request.Monitor.ResumeRecurring(name) ? "/recurring?notice=resumed" : "/recurring?notice=notpaused");
        return Task.CompletedTask;
    });

    private static Task WithScheduleAsync(DashboardRequest request, Func<string, Task> action)
    {
        if (Find(request) is not { } name)
        {
            return NotFoundAsync(request);
        }

        try
        {
            return action(name);
        }
        catch (ArgumentException)
        {
            return NotFoundAsync(request); // the monitor's own check, should the schedules change under us
        }
    }

    /// <summary>
    /// The schedule the route names. The server decodes the path except <c>%2F</c>, so a name with a <c>/</c> arrives
    /// with it still escaped: an exact match wins, then the value unescaped once more.
    /// </summary>
    private static string? Find(DashboardRequest request)
    {
        if (request.Http.Request.RouteValues["name"] is not string value)
        {
            return null;
        }

        var names = request.Monitor.GetRecurringJobs().Select(s => s.Name).ToList();
        if (names.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        var unescaped = Uri.UnescapeDataString(value);
        return names.Contains(unescaped, StringComparer.Ordinal) ? unescaped : null;
    }

    private static Task NotFoundAsync(DashboardRequest request) =>
        DashboardGuard.RefuseAsync(request.Http, StatusCodes.Status404NotFound, "No recurring job has that name.");
}
