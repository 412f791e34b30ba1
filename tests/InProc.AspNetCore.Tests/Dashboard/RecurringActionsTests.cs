using System.Net;
using InProc.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace InProc.AspNetCore.Tests.Dashboard;

public sealed class RecurringActionsTests
{
    [Fact]
    public async Task Trigger_WithTokenFromThisOrigin_RunsItAndRedirectsToTheRun()
    {
        await using var app = await StartAsync();
        using var client = app.Client();
        var antiforgery = await TestApp.AntiforgeryAsync(client, TestApp.Prefix + "/recurring");

        using var response = await client.SendAsync(TestApp.Post($"{TestApp.Prefix}/recurring/nightly/trigger", antiforgery));

        var run = Assert.Single(app.Monitor.GetRecurringJobs()).LastRunJobId!.Value;
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal($"/inproc/jobs/{run}?notice=triggered", response.Headers.Location?.OriginalString);
        Assert.Equal(JobState.Succeeded, app.Monitor.GetJob(run)!.State); // synchronous mode: it ran in the request
        var page = await client.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("Triggered the recurring job", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PauseAndResume_TogglesTheScheduleAndSaysWhenNothingChanged()
    {
        await using var app = await StartAsync();
        using var client = app.Client();
        var antiforgery = await TestApp.AntiforgeryAsync(client, TestApp.Prefix + "/recurring");

        var steps = new List<(string Location, bool Paused)>();
        foreach (var action in new[] { "pause", "pause", "resume", "resume" })
        {
            using var response = await client.SendAsync(TestApp.Post($"{TestApp.Prefix}/recurring/nightly/{action}", antiforgery));
            Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
            steps.Add((response.Headers.Location!.OriginalString, app.Monitor.GetRecurringJobs()[0].IsPaused));
        }

        Assert.Equal(
            [("/inproc/recurring?notice=paused", true), ("/inproc/recurring?notice=alreadypaused", true), ("/inproc/recurring?notice=resumed", false), ("/inproc/recurring?notice=notpaused", false)],
            steps);
        var page = await client.GetStringAsync("/inproc/recurring?notice=paused");
        Assert.Contains("Paused the recurring job", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("trigger")]
    [InlineData("pause")]
    [InlineData("resume")]
    public async Task Action_UnknownName_Answers404AndChangesNothing(string action)
    {
        await using var app = await StartAsync();
        using var client = app.Client();
        var antiforgery = await TestApp.AntiforgeryAsync(client, TestApp.Prefix + "/recurring");

        using var unknown = await client.SendAsync(TestApp.Post($"{TestApp.Prefix}/recurring/{Uri.EscapeDataString("no such <job>")}/{action}", antiforgery));
        using var otherCase = await client.SendAsync(TestApp.Post($"{TestApp.Prefix}/recurring/NIGHTLY/{action}", antiforgery));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherCase.StatusCode); // names are case-sensitive
        Assert.DoesNotContain("<job>", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var schedule = Assert.Single(app.Monitor.GetRecurringJobs());
        Assert.False(schedule.IsPaused);
        Assert.Null(schedule.LastRunJobId);
    }

    [Theory]
    [InlineData("trigger")]
    [InlineData("pause")]
    public async Task Action_WithoutTokenOrFromAnotherOrigin_IsRefused(string action)
    {
        await using var app = await StartAsync();
        using var client = app.Client();
        var antiforgery = await TestApp.AntiforgeryAsync(client, TestApp.Prefix + "/recurring");

        using var noToken = await client.SendAsync(TestApp.Post($"{TestApp.Prefix}/recurring/nightly/{action}", null));
        using var crossSite = await client.SendAsync(TestApp.Post($"{TestApp.Prefix}/recurring/nightly/{action}", antiforgery, origin: "https://evil.example"));

        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        var schedule = Assert.Single(app.Monitor.GetRecurringJobs());
        Assert.False(schedule.IsPaused);
        Assert.Null(schedule.LastRunJobId);
    }

    [Fact]
    public async Task ReadOnly_HidesTheRecurringActionsAndRefusesThem()
    {
        await using var app = await TestApp.StartAsync(
            a => a.MapInProcDashboard(TestApp.Prefix, o => o.ReadOnly = true).RequireAuthorization("ops"),
            jobs: j =>
            {
                TestApp.AddPing(j, "nightly");
                TestApp.AddPing(j, "held", r => r.Enabled = false);
            });
        using var client = app.Client();

        var html = await client.GetStringAsync(TestApp.Prefix + "/recurring");
        var responses = new List<HttpResponseMessage>();
        foreach (var path in new[] { "/recurring/nightly/trigger", "/recurring/nightly/pause", "/recurring/held/resume" })
        {
            responses.Add(await client.SendAsync(TestApp.Post(TestApp.Prefix + path, null)));
        }

        Assert.Contains("<tr data-recurring=\"nightly\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form method=\"post\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("__RequestVerificationToken", html, StringComparison.Ordinal);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.All(responses, r => Assert.Contains("read-only", r.Content.ReadAsStringAsync().Result, StringComparison.Ordinal));
        Assert.Equal([false, true], app.Monitor.GetRecurringJobs().Select(s => s.IsPaused));
        Assert.All(app.Monitor.GetRecurringJobs(), s => Assert.Null(s.LastRunJobId));
        responses.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task Get_RecurringActionUrl_ChangesNothing()
    {
        await using var app = await StartAsync();
        using var client = app.Client();

        using var trigger = await client.GetAsync(TestApp.Prefix + "/recurring/nightly/trigger");
        using var pause = await client.GetAsync(TestApp.Prefix + "/recurring/nightly/pause");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, trigger.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, pause.StatusCode);
        Assert.Null(app.Monitor.GetRecurringJobs()[0].LastRunJobId);
        Assert.False(app.Monitor.GetRecurringJobs()[0].IsPaused);
    }

    private static Task<TestApp> StartAsync() =>
        TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"), jobs: j => TestApp.AddPing(j, "nightly"));
}
