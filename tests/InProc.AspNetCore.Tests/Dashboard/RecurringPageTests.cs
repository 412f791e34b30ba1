using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using InProc.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace InProc.AspNetCore.Tests.Dashboard;

public sealed partial class RecurringPageTests
{
    private const string Script = "<script>alert(1)</script>";
    private const string Attribute = "\"><img src=x onerror=alert(2)>";

    [Fact]
    public async Task Recurring_Schedules_ShowsEveryColumnTheLastRunAndTheActions()
    {
        await using var app = await TestApp.StartAsync(
            a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"),
            jobs: j =>
            {
                TestApp.AddPing(j, "nightly", r =>
                {
                    r.TimeZone = "Europe/Berlin";
                    r.Misfire = MisfirePolicy.Skip;
                    r.Overlap = OverlapPolicy.Allow;
                });
                TestApp.AddPing(j, "held", r => r.Enabled = false, cron: "*/5 * * * *");
            });
        var run = app.Monitor.TriggerRecurring("nightly")!.Value;
        var next = app.Monitor.GetRecurringJobs()[0].NextRunAt!.Value;
        using var client = app.Client();

        var html = await client.GetStringAsync(TestApp.Prefix + "/recurring");

        Assert.Contains("<a href=\"/inproc/recurring\" aria-current=\"page\">Recurring</a>", html, StringComparison.Ordinal);
        var nightly = Row(html, "nightly");
        Assert.Contains("<code>0 3 * * *</code>", nightly, StringComparison.Ordinal);
        Assert.Contains("<td>Europe/Berlin</td><td>mail</td>", nightly, StringComparison.Ordinal);
        Assert.Contains(next.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC", nightly, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 2, 0, 0, TimeSpan.Zero), next); // 03:00 in Berlin (UTC+1 in winter)
        Assert.Contains($"<a class=\"id\" href=\"/inproc/jobs/{run}\">{run}</a> <span class=\"state state-Succeeded\">Succeeded</span>", nightly, StringComparison.Ordinal);
        Assert.Contains("<td>no</td><td>Skip</td><td>Allow</td>", nightly, StringComparison.Ordinal);
        Assert.Contains("action=\"/inproc/recurring/nightly/trigger\"", nightly, StringComparison.Ordinal);
        Assert.Contains("action=\"/inproc/recurring/nightly/pause\"", nightly, StringComparison.Ordinal);
        Assert.DoesNotContain("/resume", nightly, StringComparison.Ordinal);

        var held = Row(html, "held");
        Assert.Contains("<td>paused</td><td>RunOnce</td><td>Skip</td>", held, StringComparison.Ordinal);
        Assert.Contains("action=\"/inproc/recurring/held/resume\"", held, StringComparison.Ordinal);
        Assert.DoesNotContain("/pause", held, StringComparison.Ordinal);
        Assert.Contains("<td>&#x2014;</td>", held, StringComparison.Ordinal); // no next run while paused, no last run (an encoded dash)
    }

    [Fact]
    public async Task Recurring_None_SaysHowToAddOne()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"));
        using var client = app.Client();

        var html = await client.GetStringAsync(TestApp.Prefix + "/recurring");

        Assert.Contains("No recurring jobs: add them with AddRecurringJob.", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Script)]
    [InlineData(Attribute)]
    public async Task Recurring_NameWithMarkup_RendersAsTextAndItsActionsStillWork(string name)
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"), jobs: j => TestApp.AddPing(j, name));
        using var client = app.Client();

        var html = await client.GetStringAsync(TestApp.Prefix + "/recurring");

        Assert.DoesNotContain(name, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Single(ScriptTag().Matches(html)); // the dashboard's own script only
        Assert.Empty(EventHandlerAttribute().Matches(html));
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(name), html, StringComparison.Ordinal);
        var escaped = Uri.EscapeDataString(name);
        Assert.Contains($"action=\"/inproc/recurring/{escaped}/trigger\"", html, StringComparison.Ordinal);

        // The escaped name in the URL finds the schedule again, "/" included.
        var antiforgery = await TestApp.AntiforgeryAsync(client, TestApp.Prefix + "/recurring");
        using var response = await client.SendAsync(TestApp.Post($"{TestApp.Prefix}/recurring/{escaped}/pause", antiforgery));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.True(Assert.Single(app.Monitor.GetRecurringJobs()).IsPaused);
    }

    [Fact]
    public async Task Summary_Recurring_CountsSchedulesAndChangesVersionOnPause()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"), jobs: j => TestApp.AddPing(j, "nightly"));
        using var client = app.Client();
        using var before = JsonDocument.Parse(await client.GetStringAsync(TestApp.Prefix + "/api/summary"));

        app.Monitor.PauseRecurring("nightly");
        using var after = JsonDocument.Parse(await client.GetStringAsync(TestApp.Prefix + "/api/summary"));

        Assert.Equal(1, before.RootElement.GetProperty("recurring").GetProperty("count").GetInt32());
        Assert.Equal(0, before.RootElement.GetProperty("recurring").GetProperty("paused").GetInt32());
        Assert.Equal(1, after.RootElement.GetProperty("recurring").GetProperty("paused").GetInt32());
        Assert.NotEqual(before.RootElement.GetProperty("version").GetString(), after.RootElement.GetProperty("version").GetString());
    }

    /// <summary>The table row of the schedule <paramref name="name"/>.</summary>
    private static string Row(string html, string name)
    {
        var start = html.IndexOf($"<tr data-recurring=\"{name}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row for {name}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    // An on…= attribute of a real tag: only well-formed quoted attributes before it (the name sits, encoded, inside one).
    [GeneratedRegex(@"<[a-zA-Z][a-zA-Z0-9]*(?:\s+[^\s=>""]+(?:=""[^""]*"")?)*\s+on[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandlerAttribute();

    [GeneratedRegex(@"<script[^>]*>[^<]*</script>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();
}
