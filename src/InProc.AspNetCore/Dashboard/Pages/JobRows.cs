using InProc.AspNetCore.Dashboard.Html;

namespace InProc.AspNetCore.Dashboard.Pages;

/// <summary>The job table the jobs list and the scheduled page share.</summary>
internal static class JobRows
{
    public static HtmlFragment Table(DashboardRequest request, IEnumerable<JobSnapshot> jobs, bool withCancel)
    {
        var html = new HtmlBuilder();
        html.Add($"<table class=\"jobs\"><thead><tr><th>Id</th><th>Type</th><th>Queue</th><th>State</th><th>Attempt</th><th>Enqueued</th><th>Next attempt</th><th>Finished</th><th>Error</th>");
        if (withCancel && request.CanAct)
        {
            html.Add($"<th></th>");
        }

        html.Add($"</tr></thead><tbody>");
        var any = false;
        foreach (var job in jobs)
        {
            any = true;
            html.Add($"<tr data-job-id=\"{job.Id}\"><td class=\"id\"><a href=\"{request.Base}/jobs/{job.Id}\">{job.Id}</a></td><td>{job.MessageType}</td><td>{job.Queue}</td>")
                .Add($"<td><span class=\"state state-{job.State}\">{job.State}</span>{Format.Waiting(job.WaitingOn)}</td><td>{job.Attempt} / {job.MaxAttempts}</td>")
                .Add($"<td>{Format.Time(job.EnqueuedAt)}</td><td>{Format.Time(job.NextAttemptAt)}</td><td>{Format.Time(job.FinishedAt)}</td>")
                .Add($"<td class=\"error\">{Format.Truncate(job.Error, 120)}</td>");
            if (withCancel && request.CanAct)
            {
                html.Add($"<td>{request.ActionForm($"/jobs/{job.Id}/run-now", "Run now")}{request.ActionForm($"/jobs/{job.Id}/cancel", "Cancel", "Cancel this job?")}</td>");
            }

            html.Add($"</tr>");
        }

        if (!any)
        {
            html.Add($"<tr><td colspan=\"10\" class=\"empty\">No jobs.</td></tr>");
        }

        html.Add($"</tbody></table>");
        return html.ToFragment();
    }
}
