using InProc.AspNetCore.Dashboard.Html;
using InProc.AspNetCore.Dashboard.Live;

namespace InProc.AspNetCore.Dashboard.Pages;

/// <summary>GET {prefix}/: jobs per state, and per queue its settings, load and recent throughput.</summary>
internal static class OverviewPage
{
    public static Task RenderAsync(DashboardRequest request)
    {
        var summary = Summary.Take(request.Monitor);
        var since = request.Now - DashboardConstants.ThroughputWindow;
        var html = new HtmlBuilder();
        html.Add($"<h1>Overview</h1><section class=\"cards\">");
        foreach (var state in Enum.GetValues<JobState>())
        {
            html.Add($"<a class=\"card state-{state}\" href=\"{request.Base}/jobs?state={state}\"><span class=\"count\">{Format.Number(summary.StateCounts[(int)state])}</span><span class=\"label\">{state}</span></a>");
        }

        html.Add($"<a class=\"card\" href=\"{request.Base}/dead\"><span class=\"count\">{Format.Number(summary.DeadLetters)}</span><span class=\"label\">Dead letters</span></a></section>")
            .Add($"<h2>Queues</h2><table><thead><tr><th>Queue</th><th>Workers</th><th>Running</th><th>Waiting</th><th>Capacity</th><th>Fill</th><th>Full mode</th>")
            .Add($"<th>Succeeded (last {DashboardConstants.ThroughputWindow.TotalMinutes} min)</th><th>Failed (last {DashboardConstants.ThroughputWindow.TotalMinutes} min)</th></tr></thead><tbody>");
        foreach (var queue in summary.Queues)
        {
            var fill = queue.Capacity > 0 ? (double)queue.Waiting / queue.Capacity : 0;
            html.Add($"<tr data-queue=\"{queue.Name}\"><td><a href=\"{request.Base}/jobs?queue={Format.Query(queue.Name)}\">{queue.Name}</a></td>")
                .Add($"<td>{queue.Workers}</td><td>{queue.Running}</td><td>{queue.Waiting}</td><td>{Format.Number(queue.Capacity)}</td>")
                .Add($"<td><meter min=\"0\" max=\"1\" high=\"0.8\" value=\"{fill:0.###}\">{Format.Percent(fill)}</meter> {Format.Percent(fill)}</td><td>{queue.FullMode}</td>")
                .Add($"<td>{FinishedSince(request.Monitor, queue.Name, JobState.Succeeded, since)}</td><td>{FinishedSince(request.Monitor, queue.Name, JobState.Failed, since)}</td></tr>");
        }

        html.Add($"</tbody></table><p class=\"hint\">Throughput counts the finished jobs still retained (InProcOptions.FinishedJobRetention), up to {JobQueryLimit} per queue and state.</p>");
        AddHosts(html, request);
        return Layout.WriteAsync(request, "Overview", "/", html.ToFragment());
    }

    private const int JobQueryLimit = 500;

    /// <summary>Every process on the store (one with a store that is not shared), with its heartbeat's age.</summary>
    private static void AddHosts(HtmlBuilder html, DashboardRequest request)
    {
        html.Add($"<h2>Hosts</h2><table class=\"hosts\"><thead><tr><th>Host</th><th>Started</th><th>Last heartbeat</th><th>Running</th><th>Workers</th></tr></thead><tbody>");
        foreach (var host in request.Monitor.GetHosts())
        {
            var age = request.Now - host.LastHeartbeatAt;
            var workers = string.Join(", ", host.Workers.Select(w => $"{w.Key}: {w.Value}"));
            html.Add($"<tr data-host=\"{host.Name}\"><td>{host.Name}{(host.IsCurrent ? " (this host)" : string.Empty)}</td><td>{Format.Time(host.StartedAt)}</td>")
                .Add($"<td>{Format.Time(host.LastHeartbeatAt)} ({Format.Number((int)Math.Max(0, age.TotalSeconds))} s ago)</td><td>{Format.Number(host.Running)}</td><td>{workers}</td></tr>");
        }

        html.Add($"</tbody></table>");
    }

    private static string FinishedSince(IJobMonitor monitor, string queue, JobState state, DateTimeOffset since)
    {
        var page = monitor.GetJobs(new JobQuery { State = state, Queue = queue, Take = JobQueryLimit });
        var count = page.Items.Count(job => job.FinishedAt >= since);
        return count == JobQueryLimit && page.TotalCount > JobQueryLimit ? Format.Number(count) + "+" : Format.Number(count);
    }
}
