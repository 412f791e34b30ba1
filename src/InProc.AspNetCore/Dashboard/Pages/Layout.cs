using InProc.AspNetCore.Dashboard.Html;
using InProc.AspNetCore.Dashboard.Live;

namespace InProc.AspNetCore.Dashboard.Pages;

/// <summary>The frame around every page: head with the embedded assets, navigation, notice, live status.</summary>
internal static class Layout
{
    // The pages in the navigation, in order.
    private static readonly (string Path, string Label)[] Navigation =
    [
        ("/", "Overview"),
        ("/jobs", "Jobs"),
        ("/scheduled", "Scheduled & retrying"),
        ("/dead", "Dead letters"),
        ("/recurring", "Recurring"),
    ];

    public static Task WriteAsync(DashboardRequest request, string title, string active, HtmlFragment content, int status = 200)
    {
        var summary = Summary.Take(request.Monitor);
        var html = new HtmlBuilder();
        html.Add($"<!DOCTYPE html><html lang=\"en\" data-base=\"{request.Base}\"><head><meta charset=\"utf-8\">")
            .Add($"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Add($"<title>{title} · {request.Settings.Title}</title>")
            .Add($"<link rel=\"stylesheet\" href=\"{request.Base}/assets/dashboard.css\">")
            .Add($"<script src=\"{request.Base}/assets/dashboard.js\" defer></script></head><body>")
            .Add($"<header><a class=\"brand\" href=\"{request.Base}/\">{request.Settings.Title}</a><nav>");
        foreach (var (path, label) in Navigation)
        {
            html.Add($"<a href=\"{request.Base}{path}\"");
            if (path == active)
            {
                html.Add($" aria-current=\"page\"");
            }

            html.Add($">{label}");
            if (path == "/dead")
            {
                html.Add($" <span class=\"badge\" data-live=\"deadLetters\">{summary.DeadLetters}</span>");
            }

            html.Add($"</a>");
        }

        html.Add($"</nav>");
        if (request.Settings.ReadOnly)
        {
            html.Add($"<span class=\"tag\">read-only</span>");
        }

        html.Add($"<span id=\"live-status\" class=\"live\">static</span></header>")
            .Add($"<main id=\"content\" data-version=\"{summary.Version}\">{Notice(request)}{content}</main>")
            .Add($"<footer>InProc dashboard · {Format.Time(request.Now)}</footer></body></html>");
        return request.WriteHtmlAsync(html.ToString(), status);
    }

    /// <summary>The result of the last action, from a fixed list (the query string names it; it never supplies the text).</summary>
    private static HtmlFragment Notice(DashboardRequest request)
    {
        var count = int.TryParse(request.Query("count"), out var n) ? n : 0;
        var text = request.Query("notice") switch
        {
            "requeued" => count > 0 ? $"Re-ran {Format.Number(count)} dead letter(s)." : "Re-ran the job.",
            "purged" => $"Purged {Format.Number(count)} dead letter(s).",
            "missing" => "That dead letter is gone (re-run or purged already).",
            "cancelled" => "Cancelled the job.",
            "notcancelled" => "The job could not be cancelled: it is running or finished.",
            "ranNow" => "Queued the job to run now instead of at its due time.",
            "notRanNow" => "The job could not be run now: it is no longer scheduled or waiting for a retry.",
            "triggered" => "Triggered the recurring job: this is its run.",
            "notriggered" => "No run was enqueued: the message factory failed or the application is stopping (see the log).",
            "paused" => "Paused the recurring job: no slot runs until it is resumed.",
            "alreadypaused" => "That recurring job was paused already.",
            "resumed" => "Resumed the recurring job from its next slot after now.",
            "notpaused" => "That recurring job was not paused.",
            _ => null,
        };
        var html = new HtmlBuilder();
        if (text is not null)
        {
            html.Add($"<p class=\"notice\" role=\"status\">{text}</p>");
        }

        return html.ToFragment();
    }
}
