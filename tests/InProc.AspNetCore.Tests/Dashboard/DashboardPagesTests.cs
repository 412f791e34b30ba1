using System.Net;
using System.Text.Json;
using InProc.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace InProc.AspNetCore.Tests.Dashboard;

public sealed class DashboardPagesTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/dead")]
    [InlineData("/assets/dashboard.js")]
    [InlineData("/api/summary")]
    [InlineData("/jobs/not-an-id")]
    public async Task Response_Always_CarriesTheSecurityHeaders(string path)
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"));
        using var client = app.Client();

        using var response = await client.GetAsync(TestApp.Prefix + path);

        Assert.Equal(
            "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assets_AreServedFromTheAssembly()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"));
        using var client = app.Client();

        using var css = await client.GetAsync(TestApp.Prefix + "/assets/dashboard.css");
        using var js = await client.GetAsync(TestApp.Prefix + "/assets/dashboard.js");

        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains("--accent", await css.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);
        Assert.Contains("EventSource", await js.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_Paging_ShowsFiftyPerPageNewestFirst()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"));
        var ids = new List<JobId>();
        for (var i = 0; i < 60; i++)
        {
            ids.Add(await app.Jobs.ScheduleAsync(new Ping(i), TimeSpan.FromHours(1)));
        }

        using var client = app.Client();
        var first = await client.GetStringAsync(TestApp.Prefix + "/jobs?state=Scheduled");
        var second = await client.GetStringAsync(TestApp.Prefix + "/jobs?state=Scheduled&page=2");

        Assert.Contains("1–50 of 60", first, StringComparison.Ordinal);
        Assert.Contains(ids[59].ToString(), first, StringComparison.Ordinal);
        Assert.DoesNotContain(ids[9].ToString(), first, StringComparison.Ordinal);
        Assert.Contains("51–60 of 60", second, StringComparison.Ordinal);
        Assert.Contains(ids[0].ToString(), second, StringComparison.Ordinal);
        Assert.Contains("page=2&amp;state=Scheduled", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_SearchById_RedirectsToTheJobOrSaysWhy()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"));
        var id = await app.Jobs.ScheduleAsync(new Ping(1), TimeSpan.FromHours(1));
        using var client = app.Client();

        using var found = await client.GetAsync($"{TestApp.Prefix}/jobs?id=%20{id}%20");
        // Another id: the last digit changed (an id that already ends in 'f' gets an 'e', or the "unknown" id is the job's own).
        var text = id.ToString();
        var unknown = await client.GetStringAsync($"{TestApp.Prefix}/jobs?id={text[..27]}{(text[27] == 'f' ? 'e' : 'f')}");
        var malformed = await client.GetStringAsync($"{TestApp.Prefix}/jobs?id=%3Cb%3E");

        Assert.Equal(HttpStatusCode.SeeOther, found.StatusCode);
        Assert.Equal($"/inproc/jobs/{id}", found.Headers.Location?.OriginalString);
        Assert.Contains("No job has the id", unknown, StringComparison.Ordinal);
        Assert.Contains("This is not a job id", malformed, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;", malformed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobDetail_UnknownOrMalformedId_Answers404Or400()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"));
        using var client = app.Client();

        using var unknown = await client.GetAsync($"{TestApp.Prefix}/jobs/{new string('1', 28)}");
        using var malformed = await client.GetAsync($"{TestApp.Prefix}/jobs/xyz");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task Overview_Queues_ShowSettingsAndLoad()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"), synchronous: false);
        await app.Jobs.ScheduleAsync(new Ping(1), TimeSpan.FromHours(1));
        using var client = app.Client();

        var html = await client.GetStringAsync(TestApp.Prefix + "/");

        Assert.Contains("<tr data-queue=\"default\">", html, StringComparison.Ordinal);
        var mail = html.Split("<tr data-queue=\"mail\">")[1].Split("</tr>")[0];
        Assert.Contains("<td>4</td><td>0</td><td>0</td><td>1,000</td>", mail, StringComparison.Ordinal); // workers, running, waiting, capacity
        Assert.Contains("<td>Wait</td>", mail, StringComparison.Ordinal);
        Assert.Contains("<span class=\"count\">1</span><span class=\"label\">Scheduled</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overview_Hosts_ListThisProcess_WithItsWorkersPerQueue()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"), synchronous: false);
        using var client = app.Client();

        var html = await client.GetStringAsync(TestApp.Prefix + "/");

        var rows = html.Split("<table class=\"hosts\">")[1].Split("</table>")[0].Split("<tr data-host=")[1..];
        var row = Assert.Single(rows);
        Assert.StartsWith($"\"{Environment.MachineName}:{Environment.ProcessId}\">", row, StringComparison.Ordinal);
        Assert.Contains("(this host)", row, StringComparison.Ordinal);
        Assert.Contains("default: ", row, StringComparison.Ordinal);
        Assert.Contains("mail: 4", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_Json_CountsStatesAndQueues()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"), synchronous: false);
        await app.Jobs.ScheduleAsync(new Ping(1), TimeSpan.FromHours(1));
        using var client = app.Client();

        using var json = JsonDocument.Parse(await client.GetStringAsync(TestApp.Prefix + "/api/summary"));

        Assert.Equal(0, json.RootElement.GetProperty("deadLetters").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("states").GetProperty("Failed").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("states").GetProperty("Scheduled").GetInt32());
        Assert.Equal(["default", "mail"], json.RootElement.GetProperty("queues").EnumerateArray().Select(q => q.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Events_Stream_SendsTheSummaryAtOnce()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"));
        await app.DeadLetterAsync("one");
        using var client = app.Client();
        using var cancel = new CancellationTokenSource();

        using var response = await client.GetAsync(TestApp.Prefix + "/api/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        var lines = new List<string>();
        while (lines.Count == 0 || !lines[^1].StartsWith("data: ", StringComparison.Ordinal))
        {
            lines.Add(await reader.ReadLineAsync(cancel.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(30)) ?? throw new InvalidOperationException("the stream ended"));
        }

        await cancel.CancelAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("retry: 2000", lines[0]);
        using var summary = JsonDocument.Parse(lines[^1]["data: ".Length..]);
        Assert.Equal(1, summary.RootElement.GetProperty("deadLetters").GetInt32());
    }

    [Fact]
    public async Task Events_Stream_EndsAfterItsLifetimeSoTheBrowserReconnects()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"));
        using var client = app.Client();
        using var response = await client.GetAsync(TestApp.Prefix + "/api/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("retry: 2000", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));

        await app.Clock!.WaitForActiveTimersAsync(1).WaitAsync(TimeSpan.FromSeconds(30)); // the stream waits for its next look
        app.Clock.AdvanceStepwise(TimeSpan.FromSeconds(61));
        var rest = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, rest.Split('\n').Count(line => line.StartsWith("data: ", StringComparison.Ordinal)));
    }
}
