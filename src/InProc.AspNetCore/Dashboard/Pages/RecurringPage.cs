using InProc.AspNetCore.Dashboard.Html;

namespace InProc.AspNetCore.Dashboard.Pages;

/// <summary>GET {prefix}/recurring: every schedule with its next slot and last run; trigger now, pause, resume.</summary>
internal static class RecurringPage
{
    public static Task RenderAsync(DashboardRequest request)
    {
        var schedules = request.Monitor.GetRecurringJobs();
        var html = new HtmlBuilder();
        html.Add($"<h1>Recurring <span class=\"badge\">{Format.Number(schedules.Count)}</span></h1>")
            .Add($"<p class=\"hint\">Scheduler heartbeat (last tick): {Format.Time(request.Monitor.LastRecurringTick)}.</p>")
            .Add($"<table class=\"recurring\"><thead><tr><th>Name</th><th>Expression</th><th>Time zone</th><th>Queue</th><th>Next run</th>")
            .Add($"<th>Last slot</th><th>Last run</th><th>Paused</th><th>Misfire</th><th>Overlap</th>");
        if (request.CanAct)
        {
            html.Add($"<th></th>");
        }

        html.Add($"</tr></thead><tbody>");
        foreach (var schedule in schedules)
        {
            // The name is user data: HTML-encoded by the builder, and escaped as one path segment in the action URLs.
            var path = "/recurring/" + Uri.EscapeDataString(schedule.Name);
            html.Add($"<tr data-recurring=\"{schedule.Name}\"><td class=\"name\">{schedule.Name}</td><td><code>{schedule.Expression}</code></td>")
                .Add($"<td>{schedule.TimeZone}</td><td>{schedule.Queue}</td><td>{Format.Time(schedule.NextRunAt)}</td><td>{Format.Time(schedule.LastRunSlot)}</td><td>");
            if (schedule.LastRunJobId is { } last)
            {
                html.Add($"<a class=\"id\" href=\"{request.Base}/jobs/{last}\">{last}</a> ");
                if (schedule.LastRunState is { } state)
                {
                    html.Add($"<span class=\"state state-{state}\">{state}</span>");
                }
                else
                {
                    html.Add($"<span class=\"hint\">forgotten</span>");
                }
            }
            else
            {
                html.Add($"{Format.None}");
            }

            html.Add($"</td><td>{(schedule.IsPaused ? "paused" : "no")}</td><td>{schedule.Misfire}</td><td>{schedule.Overlap}</td>");
            if (request.CanAct)
            {
                html.Add($"<td class=\"actions\">{request.ActionForm(path + "/trigger", "Trigger now", "Run this recurring job now, outside its schedule?")}")
                    .Add($"{(schedule.IsPaused ? request.ActionForm(path + "/resume", "Resume") : request.ActionForm(path + "/pause", "Pause"))}</td>");
            }

            html.Add($"</tr>");
        }

        if (schedules.Count == 0)
        {
            html.Add($"<tr><td colspan=\"11\" class=\"empty\">No recurring jobs: add them with AddRecurringJob.</td></tr>");
        }

        html.Add($"</tbody></table>");
        return Layout.WriteAsync(request, "Recurring", "/recurring", html.ToFragment());
    }
}
