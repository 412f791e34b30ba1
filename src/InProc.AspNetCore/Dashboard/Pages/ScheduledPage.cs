using InProc.AspNetCore.Dashboard.Html;

namespace InProc.AspNetCore.Dashboard.Pages;

/// <summary>GET {prefix}/scheduled: delayed jobs and jobs waiting for a retry, soonest first, with cancel.</summary>
internal static class ScheduledPage
{
    public static Task RenderAsync(DashboardRequest request)
    {
        var html = new HtmlBuilder();
        html.Add($"<h1>Scheduled &amp; retrying</h1>");
        foreach (var (state, title) in new[] { (JobState.Scheduled, "Scheduled"), (JobState.Retrying, "Waiting for a retry") })
        {
            var page = request.Monitor.GetJobs(new JobQuery { State = state, OldestFirst = true, Take = JobQuery500 });
            var soonest = page.Items.OrderBy(j => j.NextAttemptAt).Take(DashboardConstants.MaxRows).ToList();
            html.Add($"<h2>{title} <span class=\"badge\">{Format.Number(page.TotalCount)}</span></h2>{JobRows.Table(request, soonest, withCancel: true)}");
            if (page.TotalCount > soonest.Count)
            {
                html.Add($"<p class=\"hint\">Showing {soonest.Count} of {Format.Number(page.TotalCount)}: <a href=\"{request.Base}/jobs?state={state}\">see them all</a>.</p>");
            }
        }

        return Layout.WriteAsync(request, "Scheduled & retrying", "/scheduled", html.ToFragment());
    }

    private const int JobQuery500 = 500;
}
