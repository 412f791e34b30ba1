using InProc.AspNetCore.Dashboard.Html;

namespace InProc.AspNetCore.Dashboard.Pages;

/// <summary>GET {prefix}/dead?queue=&amp;type=&amp;q=: dead letters, newest first, with their message and exception; re-run and purge.</summary>
internal static class DeadLettersPage
{
    public static Task RenderAsync(DashboardRequest request)
    {
        var filter = DeadLetterFilter.From(request.Http.Request.Query);
        var all = request.Monitor.GetDeadLetters();
        var matching = all.Where(filter.Matches).Reverse().ToList();
        var html = new HtmlBuilder();
        html.Add($"<h1>Dead letters</h1><form method=\"get\" class=\"search\" action=\"{request.Base}/dead\">")
            .Add($"<label>Queue <select name=\"queue\"><option value=\"\">every queue</option>");
        foreach (var queue in request.Monitor.GetQueues())
        {
            html.Add($"<option value=\"{queue.Name}\"{Selected(filter.Queue == queue.Name)}>{queue.Name}</option>");
        }

        html.Add($"</select></label><label>Type <select name=\"type\"><option value=\"\">every type</option>");
        foreach (var type in all.Select(l => l.Message.GetType().Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            html.Add($"<option value=\"{type}\"{Selected(filter.Type == type)}>{type}</option>");
        }

        html.Add($"</select></label><label>Exception contains <input name=\"q\" value=\"{filter.Text}\" autocomplete=\"off\"></label><button type=\"submit\">Filter</button></form>")
            .Add($"<p class=\"count\">{Format.Number(matching.Count)} of {Format.Number(all.Count)} dead letter(s) match.</p>");
        if (request.CanAct && matching.Count > 0)
        {
            html.Add($"<div class=\"bulk\">{request.ActionForm("/dead/requeue", $"Re-run {matching.Count} matching", $"Run the {matching.Count} matching dead letter(s) again?", filter.HiddenFields())}")
                .Add($"{request.ActionForm("/dead/purge", $"Purge all {all.Count}", $"Forget all {all.Count} dead letter(s)? This cannot be undone.")}</div>");
        }

        html.Add($"<table class=\"dead\"><thead><tr><th>Id</th><th>Type</th><th>Queue</th><th>Attempts</th><th>Failed</th><th>Exception</th><th></th></tr></thead><tbody>");
        foreach (var letter in matching.Take(DashboardConstants.MaxRows))
        {
            html.Add($"<tr data-job-id=\"{letter.Id}\"><td class=\"id\"><a href=\"{request.Base}/jobs/{letter.Id}\">{letter.Id}</a></td><td>{letter.Message.GetType().Name}</td>")
                .Add($"<td>{letter.Queue}</td><td>{letter.Attempts}</td><td>{Format.Time(letter.FailedAt)}</td>")
                .Add($"<td class=\"error\"><code>{letter.ExceptionType}</code><br>{Format.Truncate(letter.ExceptionMessage, 200)}</td>")
                .Add($"<td>{request.ActionForm($"/dead/{letter.Id}/requeue", "Re-run")}</td></tr>")
                .Add($"<tr class=\"more\"><td colspan=\"7\"><details><summary>Message, exception and stack trace</summary>")
                .Add($"<pre class=\"json\">{MessageJson.Write(letter.Message)}</pre><pre class=\"error\">{letter.ExceptionMessage}</pre><pre class=\"stack\">{letter.StackTrace ?? Format.None}</pre></details></td></tr>");
        }

        if (matching.Count == 0)
        {
            html.Add($"<tr><td colspan=\"7\" class=\"empty\">No dead letters.</td></tr>");
        }

        html.Add($"</tbody></table>");
        if (matching.Count > DashboardConstants.MaxRows)
        {
            html.Add($"<p class=\"hint\">Showing the newest {DashboardConstants.MaxRows}; narrow the filter to see the others.</p>");
        }

        return Layout.WriteAsync(request, "Dead letters", "/dead", html.ToFragment());
    }

    private static HtmlFragment Selected(bool selected) => new(selected ? " selected" : string.Empty);
}
