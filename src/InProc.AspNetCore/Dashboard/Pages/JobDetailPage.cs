using InProc.AspNetCore.Dashboard.Html;

namespace InProc.AspNetCore.Dashboard.Pages;

/// <summary>GET {prefix}/jobs/{id}: one job's snapshot, its error, and for a dead letter its message and stack trace.</summary>
internal static class JobDetailPage
{
    public static Task RenderAsync(DashboardRequest request)
    {
        var text = request.Http.Request.RouteValues["id"] as string;
        var html = new HtmlBuilder();
        if (!JobId.TryParse(text, out var id))
        {
            html.Add($"<h1>Not a job id</h1><p><code>{Format.Truncate(text, 64)}</code> is not a job id.</p>");
            return Layout.WriteAsync(request, "Not a job id", "/jobs", html.ToFragment(), 400);
        }

        var detail = request.Monitor.GetJobDetail(id);
        var job = detail?.Job;
        var letter = request.Monitor.GetDeadLetters().FirstOrDefault(l => l.Id == id);
        if (detail is null || job is null)
        {
            html.Add($"<h1>Unknown job</h1><p>No job has the id <code>{id}</code>: it never existed here, or its finished record was forgotten (InProcOptions.FinishedJobRetention).</p>");
            return Layout.WriteAsync(request, "Unknown job", "/jobs", html.ToFragment(), 404);
        }

        html.Add($"<h1>Job <code>{job.Id}</code></h1><p><span class=\"state state-{job.State}\" data-job-state=\"{job.State}\">{job.State}</span>{Format.Waiting(job.WaitingOn)}</p>")
            .Add($"<dl class=\"fields\"><dt>Type</dt><dd>{job.MessageType}</dd><dt>Queue</dt><dd>{job.Queue}</dd>")
            .Add($"<dt>Attempt</dt><dd>{job.Attempt} of {job.MaxAttempts}</dd>")
            .Add($"<dt>Enqueued</dt><dd>{Format.Time(job.EnqueuedAt)}</dd><dt>Last attempt started</dt><dd>{Format.Time(job.StartedAt)}</dd>")
            .Add($"<dt>Next attempt</dt><dd>{Format.Time(job.NextAttemptAt)}</dd><dt>Finished</dt><dd>{Format.Time(job.FinishedAt)}</dd>")
            .Add($"<dt>Progress</dt><dd>");
        if (job.Progress is { } progress)
        {
            html.Add($"<progress max=\"1\" value=\"{progress:0.###}\">{Format.Percent(progress)}</progress> {Format.Percent(progress)} {job.ProgressStatus}");
        }
        else
        {
            html.Add($"{Format.None}");
        }

        html.Add($"<dt>Trace id</dt><dd>");
        if (detail.TraceId is { } traceId)
        {
            html.Add($"<code>{traceId}</code>");
        }
        else
        {
            html.Add($"{Format.None}");
        }

        html.Add($"</dd></dl>");
        if (job.ErrorType is not null || job.Error is not null)
        {
            html.Add($"<h2>Last error</h2><p class=\"error-type\"><code>{job.ErrorType}</code></p><pre class=\"error\">{job.Error}</pre>");
        }

        if (detail.FailedAttempts.Count > 0)
        {
            html.Add($"<h2>Failed attempts</h2><table class=\"attempts\"><thead><tr><th>Attempt</th><th>Started</th><th>Failed</th><th>Error</th></tr></thead><tbody>");
            foreach (var attempt in detail.FailedAttempts)
            {
                html.Add($"<tr><td>{attempt.Attempt}</td><td>{Format.Time(attempt.StartedAt)}</td><td>{Format.Time(attempt.EndedAt)}</td><td class=\"error\"><code>{attempt.ErrorType}</code> {Format.Truncate(attempt.Error, 300)}</td></tr>");
            }

            html.Add($"</tbody></table>");
        }

        // The message is kept while the job is active and for a dead letter; a finished record keeps none.
        if (detail.Message is { } message)
        {
            html.Add($"<h2>Message</h2><pre class=\"json\">{MessageJson.Write(message)}</pre>");
        }

        if (letter is not null)
        {
            html.Add($"<h2>Dead letter</h2><p>Failed for good at {Format.Time(letter.FailedAt)} after {letter.Attempts} attempt(s).</p>")
                .Add($"{request.ActionForm($"/dead/{letter.Id}/requeue", "Re-run", "Run this job again with fresh attempts?")}")
                .Add($"<h3>Exception</h3><p><code>{letter.ExceptionType}</code></p><pre class=\"error\">{letter.ExceptionMessage}</pre>")
                .Add($"<h3>Stack trace</h3><pre class=\"stack\">{letter.StackTrace ?? Format.None}</pre>");
        }

        if (job.State is JobState.Scheduled or JobState.Retrying)
        {
            html.Add($"{request.ActionForm($"/jobs/{job.Id}/run-now", "Run now")}");
        }

        if (job.State is JobState.Scheduled or JobState.Enqueued or JobState.Retrying)
        {
            html.Add($"{request.ActionForm($"/jobs/{job.Id}/cancel", "Cancel", "Cancel this job?")}");
        }

        return Layout.WriteAsync(request, "Job " + job.Id, "/jobs", html.ToFragment());
    }
}
