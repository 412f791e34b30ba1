using InProc.AspNetCore.Dashboard.Html;

namespace InProc.AspNetCore.Dashboard.Pages;

/// <summary>GET {prefix}/jobs?state=&amp;queue=&amp;page=&amp;id=: jobs by state and queue, paged; a job id finds one job.</summary>
internal static class JobsPage
{
    private const int MaxPage = 100_000;

    public static Task RenderAsync(DashboardRequest request)
    {
        var html = new HtmlBuilder();
        if (request.Query("id") is { } text)
        {
            var trimmed = text.Trim();
            if (JobId.TryParse(trimmed, out var id) && request.Monitor.GetJob(id) is not null)
            {
                request.Redirect("/jobs/" + id);
                return Task.CompletedTask;
            }

            html.Add($"<p class=\"notice warning\" role=\"status\">{(JobId.TryParse(trimmed, out _) ? "No job has the id" : "This is not a job id:")} <code>{Format.Truncate(trimmed, 64)}</code></p>");
        }

        JobState? state = Enum.TryParse<JobState>(request.Query("state"), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;
        var queue = request.Query("queue");
        var page = int.TryParse(request.Query("page"), out var p) ? Math.Clamp(p, 1, MaxPage) : 1;
        var result = request.Monitor.GetJobs(new JobQuery { State = state, Queue = queue, Skip = (page - 1) * DashboardConstants.PageSize, Take = DashboardConstants.PageSize });

        html.Add($"<h1>Jobs</h1><form method=\"get\" class=\"search\" action=\"{request.Base}/jobs\"><label>Job id <input name=\"id\" autocomplete=\"off\" spellcheck=\"false\" size=\"30\"></label><button type=\"submit\">Find</button></form>")
            .Add($"<nav class=\"tabs\"><a href=\"{request.Base}/jobs{QueueQuery(queue, '?')}\"{Current(state is null)}>All</a>");
        foreach (var s in Enum.GetValues<JobState>())
        {
            html.Add($"<a href=\"{request.Base}/jobs?state={s}{QueueQuery(queue, '&')}\"{Current(state == s)}>{s}</a>");
        }

        html.Add($"</nav><nav class=\"tabs queues\"><a href=\"{request.Base}/jobs{StateQuery(state, '?')}\"{Current(queue is null)}>Every queue</a>");
        foreach (var q in request.Monitor.GetQueues())
        {
            html.Add($"<a href=\"{request.Base}/jobs?queue={Format.Query(q.Name)}{StateQuery(state, '&')}\"{Current(queue == q.Name)}>{q.Name}</a>");
        }

        var first = result.TotalCount == 0 ? 0 : result.Skip + 1;
        html.Add($"</nav><p class=\"count\">{Format.Number(first)}–{Format.Number(result.Skip + result.Items.Count)} of {Format.Number(result.TotalCount)}</p>")
            .Add($"{JobRows.Table(request, result.Items, withCancel: false)}<nav class=\"pager\">");
        var filter = StateQuery(state, '&') + QueueQuery(queue, '&');
        if (page > 1)
        {
            html.Add($"<a rel=\"prev\" href=\"{request.Base}/jobs?page={page - 1}{filter}\">← Newer</a>");
        }

        if (result.Skip + result.Items.Count < result.TotalCount && page < MaxPage)
        {
            html.Add($"<a rel=\"next\" href=\"{request.Base}/jobs?page={page + 1}{filter}\">Older →</a>");
        }

        html.Add($"</nav>");
        return Layout.WriteAsync(request, "Jobs", "/jobs", html.ToFragment());
    }

    private static HtmlFragment Current(bool current) => new(current ? " aria-current=\"page\"" : string.Empty);

    private static string StateQuery(JobState? state, char separator) => state is { } s ? separator + "state=" + s : string.Empty;

    private static string QueueQuery(string? queue, char separator) => queue is null ? string.Empty : separator + "queue=" + Format.Query(queue);
}
