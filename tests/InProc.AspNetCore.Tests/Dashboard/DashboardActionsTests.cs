using System.Net;
using InProc.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace InProc.AspNetCore.Tests.Dashboard;

public sealed class DashboardActionsTests
{
    [Fact]
    public async Task Requeue_WithTokenFromThisOrigin_RunsTheDeadLetterAgain()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"));
        await Assert.ThrowsAsync<BoomException>(() => app.Jobs.EnqueueAsync(new FlakyOnce(1)).AsTask());
        var id = Assert.Single(app.Monitor.GetDeadLetters()).Id;
        using var client = app.Client();
        var antiforgery = await TestApp.AntiforgeryAsync(client, TestApp.Prefix + "/dead");

        using var response = await client.SendAsync(TestApp.Post($"{TestApp.Prefix}/dead/{id}/requeue", antiforgery));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal($"/inproc/jobs/{id}?notice=requeued", response.Headers.Location?.OriginalString);
        Assert.Empty(app.Monitor.GetDeadLetters());
        Assert.Equal(JobState.Succeeded, app.Monitor.GetJob(id)!.State);
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_IsRefused()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"));
        var id = await app.DeadLetterAsync("stays dead");
        using var client = app.Client();
        var (cookie, _) = await TestApp.AntiforgeryAsync(client, TestApp.Prefix + "/dead");

        using var none = await client.SendAsync(TestApp.Post($"{TestApp.Prefix}/dead/purge", null));
        using var cookieOnly = await client.SendAsync(TestApp.Post($"{TestApp.Prefix}/dead/{id}/requeue", (cookie, "forged")));

        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, cookieOnly.StatusCode);
        Assert.Single(app.Monitor.GetDeadLetters());
        Assert.Contains(app.Logs.Entries, e => e.EventId.Name == "DashboardActionRefused" && e.Message.Contains("antiforgery", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://evil.example", null)]
    [InlineData("null", null)]
    [InlineData(null, "cross-site")]
    [InlineData(null, "same-site")]
    [InlineData("http://localhost", "cross-site")]
    [InlineData(null, null)]
    public async Task Post_FromAnotherOrigin_IsRefusedEvenWithAValidToken(string? origin, string? fetchSite)
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"));
        await app.DeadLetterAsync("stays dead");
        using var client = app.Client();
        var antiforgery = await TestApp.AntiforgeryAsync(client, TestApp.Prefix + "/dead");
        using var request = TestApp.Post($"{TestApp.Prefix}/dead/purge", antiforgery);
        request.Headers.Remove("Origin");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Single(app.Monitor.GetDeadLetters());
    }

    [Fact]
    public async Task Purge_SameOriginBySecFetchSiteWithNullOrigin_ForgetsEveryDeadLetter()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"));
        await app.DeadLetterAsync("one");
        await app.DeadLetterAsync("two");
        using var client = app.Client();
        var antiforgery = await TestApp.AntiforgeryAsync(client, TestApp.Prefix + "/dead");
        using var request = TestApp.Post($"{TestApp.Prefix}/dead/purge", antiforgery);
        request.Headers.Remove("Origin");
        request.Headers.Add("Origin", "null"); // what Chromium sends under Referrer-Policy: no-referrer
        request.Headers.Add("Sec-Fetch-Site", "same-origin");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/inproc/dead?notice=purged&count=2", response.Headers.Location?.OriginalString);
        Assert.Empty(app.Monitor.GetDeadLetters());
    }

    [Fact]
    public async Task RequeueMatching_Filter_RunsOnlyTheMatchingOnes()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"));
        await Assert.ThrowsAsync<BoomException>(() => app.Jobs.EnqueueAsync(new FlakyOnce(1)).AsTask());
        await Assert.ThrowsAsync<BoomException>(() => app.Jobs.EnqueueAsync(new FlakyOnce(2)).AsTask());
        var boom = await app.DeadLetterAsync("not this one");
        using var client = app.Client();
        var antiforgery = await TestApp.AntiforgeryAsync(client, TestApp.Prefix + "/dead?type=FlakyOnce");

        using var response = await client.SendAsync(TestApp.Post($"{TestApp.Prefix}/dead/requeue", antiforgery, fields: new Dictionary<string, string> { ["type"] = "FlakyOnce" }));

        Assert.Equal("/inproc/dead?notice=requeued&count=2", response.Headers.Location?.OriginalString);
        Assert.Equal(boom, Assert.Single(app.Monitor.GetDeadLetters()).Id);
    }

    [Fact]
    public async Task Cancel_ScheduledJob_CancelsIt()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"));
        var id = await app.Jobs.ScheduleAsync(new Ping(1), TimeSpan.FromHours(1));
        using var client = app.Client();
        var scheduled = await client.GetStringAsync(TestApp.Prefix + "/scheduled");
        Assert.Contains($"/inproc/jobs/{id}/cancel", scheduled, StringComparison.Ordinal);
        var antiforgery = await TestApp.AntiforgeryAsync(client, TestApp.Prefix + "/scheduled");

        using var response = await client.SendAsync(TestApp.Post($"{TestApp.Prefix}/jobs/{id}/cancel", antiforgery));

        Assert.Equal($"/inproc/jobs/{id}?notice=cancelled", response.Headers.Location?.OriginalString);
        Assert.Equal(JobState.Cancelled, app.Monitor.GetJob(id)!.State);
    }

    [Fact]
    public async Task RunNow_ScheduledJob_RunsItInsteadOfAtItsDueTime()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"));
        var id = await app.Jobs.ScheduleAsync(new Ping(1), TimeSpan.FromHours(1));
        using var client = app.Client();
        var scheduled = await client.GetStringAsync(TestApp.Prefix + "/scheduled");
        Assert.Contains($"/inproc/jobs/{id}/run-now", scheduled, StringComparison.Ordinal);
        Assert.Contains($"/inproc/jobs/{id}/run-now", await client.GetStringAsync($"{TestApp.Prefix}/jobs/{id}"), StringComparison.Ordinal);
        var antiforgery = await TestApp.AntiforgeryAsync(client, TestApp.Prefix + "/scheduled");

        using var response = await client.SendAsync(TestApp.Post($"{TestApp.Prefix}/jobs/{id}/run-now", antiforgery));

        Assert.Equal($"/inproc/jobs/{id}?notice=ranNow", response.Headers.Location?.OriginalString);
        Assert.Equal(JobState.Succeeded, app.Monitor.GetJob(id)!.State); // synchronous mode: it ran in the request
        using var again = await client.SendAsync(TestApp.Post($"{TestApp.Prefix}/jobs/{id}/run-now", antiforgery));
        Assert.Equal($"/inproc/jobs/{id}?notice=notRanNow", again.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task JobDetail_ScheduledJob_ShowsItsMessageEncodedAndADeadLetterItsFailedAttempts()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"));
        var scheduled = await app.Jobs.ScheduleAsync(new Boom("<script>alert(1)</script>"), TimeSpan.FromHours(1));
        var dead = await app.DeadLetterAsync("\"><img src=x onerror=alert(2)>");
        using var client = app.Client();

        var page = await client.GetStringAsync($"{TestApp.Prefix}/jobs/{scheduled}");
        Assert.Contains("<h2>Message</h2>", page, StringComparison.Ordinal);
        Assert.Contains("\\u003Cscript\\u003Ealert(1)", page, StringComparison.Ordinal); // the message as JSON, escaped
        Assert.DoesNotContain("<script>alert(1)", page, StringComparison.Ordinal);
        Assert.Contains("Trace id", page, StringComparison.Ordinal);

        var deadPage = await client.GetStringAsync($"{TestApp.Prefix}/jobs/{dead}");
        Assert.Contains("<h2>Failed attempts</h2>", deadPage, StringComparison.Ordinal);
        Assert.Contains(typeof(BoomException).FullName!, deadPage, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", deadPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadOnly_HidesEveryActionAndRefusesThem()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix, o => o.ReadOnly = true).RequireAuthorization("ops"));
        var id = await app.DeadLetterAsync("read only");
        var scheduled = await app.Jobs.ScheduleAsync(new Ping(1), TimeSpan.FromHours(1));
        using var client = app.Client();

        foreach (var path in new[] { "/", "/jobs", $"/jobs/{id}", $"/jobs/{scheduled}", "/scheduled", "/dead" })
        {
            var html = await client.GetStringAsync(TestApp.Prefix + path);
            Assert.DoesNotContain("<form method=\"post\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("__RequestVerificationToken", html, StringComparison.Ordinal);
        }

        foreach (var path in new[] { $"/dead/{id}/requeue", "/dead/requeue", "/dead/purge", $"/jobs/{scheduled}/cancel", $"/jobs/{scheduled}/run-now" })
        {
            using var response = await client.SendAsync(TestApp.Post(TestApp.Prefix + path, null));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("read-only", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Single(app.Monitor.GetDeadLetters());
        Assert.Equal(JobState.Scheduled, app.Monitor.GetJob(scheduled)!.State);
    }

    [Fact]
    public async Task Get_ActionUrl_ChangesNothing()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"));
        var id = await app.DeadLetterAsync("stays");
        using var client = app.Client();

        using var purge = await client.GetAsync(TestApp.Prefix + "/dead/purge");
        using var requeue = await client.GetAsync($"{TestApp.Prefix}/dead/{id}/requeue");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, purge.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, requeue.StatusCode);
        Assert.Single(app.Monitor.GetDeadLetters());
    }
}
