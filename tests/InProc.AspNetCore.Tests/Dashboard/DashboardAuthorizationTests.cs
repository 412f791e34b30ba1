using System.Net;
using InProc.AspNetCore.Dashboard;
using InProc.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.AspNetCore.Tests.Dashboard;

public sealed class DashboardAuthorizationTests
{
    [Fact]
    public async Task MapInProcDashboard_NoAuthorization_RefusesEveryUrlAndWarnsAtStartup()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix), jobs: j => TestApp.AddPing(j, Nightly));
        var secret = await app.DeadLetterAsync("secret failure");

        // Even a signed-in operator is refused: the dashboard itself carries no authorization.
        foreach (var user in new[] { null, TestApp.Ops })
        {
            using var client = app.Client(user);
            foreach (var (method, path) in DashboardUrls(app, secret))
            {
                using var response = await client.SendAsync(method == "POST" ? TestApp.Post(path, null) : new HttpRequestMessage(HttpMethod.Get, path));
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} as {user ?? "anonymous"}: {response.StatusCode}");
                Assert.DoesNotContain(secret.ToString(), body, StringComparison.Ordinal);
            }
        }

        Assert.Single(app.Monitor.GetDeadLetters());
        AssertUntouched(app);
        var warning = Assert.Single(app.Logs.Entries, e => e.EventId.Name == "DashboardClosed");
        Assert.Contains(".RequireAuthorization(", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapInProcDashboard_RequireAuthorization_RefusesAnonymousAndUsersWithoutTheRole()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"), jobs: j => TestApp.AddPing(j, Nightly));
        var secret = await app.DeadLetterAsync("secret failure");

        foreach (var (user, expected) in new[] { ((string?)null, HttpStatusCode.Unauthorized), ("bob", HttpStatusCode.Forbidden) })
        {
            using var client = app.Client(user);
            foreach (var (method, path) in DashboardUrls(app, secret))
            {
                using var response = await client.SendAsync(method == "POST" ? TestApp.Post(path, null) : new HttpRequestMessage(HttpMethod.Get, path));
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == expected, $"{method} {path} as {user ?? "anonymous"}: {response.StatusCode}");
                Assert.DoesNotContain(secret.ToString(), body, StringComparison.Ordinal);
            }
        }

        Assert.Single(app.Monitor.GetDeadLetters());
        AssertUntouched(app);
        Assert.DoesNotContain(app.Logs.Entries, e => e.EventId.Name == "DashboardClosed");
    }

    [Fact]
    public async Task MapInProcDashboard_AuthorizedUser_SeesEveryPage()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops"), jobs: j => TestApp.AddPing(j, Nightly));
        var id = await app.DeadLetterAsync("visible failure");
        using var client = app.Client();

        foreach (var path in new[] { "/", "/jobs", $"/jobs/{id}", "/scheduled", "/dead", "/recurring" })
        {
            using var response = await client.GetAsync(TestApp.Prefix + path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        }

        var dead = await client.GetStringAsync(TestApp.Prefix + "/dead");
        Assert.Contains(id.ToString(), dead, StringComparison.Ordinal);
        Assert.Contains("visible failure", dead, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapInProcDashboard_AllowAnonymousInProduction_Throws()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix, o => o.AllowAnonymousInDevelopment = true), environment: "Production"));

        Assert.Contains("AllowAnonymousInDevelopment", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Production'", error.Message, StringComparison.Ordinal);
        Assert.Contains("RequireAuthorization", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapInProcDashboard_AllowAnonymousInDevelopment_OpensItAndWarns()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix, o => o.AllowAnonymousInDevelopment = true), environment: "Development");
        using var client = app.Client(user: null);

        using var response = await client.GetAsync(TestApp.Prefix + "/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(app.Logs.Entries, e => e.EventId.Name == "DashboardAnonymous");
    }

    [Fact]
    public async Task MapInProcDashboard_AllowAnonymousOverridesPolicy_StaysClosed()
    {
        await using var app = await TestApp.StartAsync(a => a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops").AllowAnonymous());
        using var client = app.Client(user: null);

        using var response = await client.GetAsync(TestApp.Prefix + "/");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task MapInProcDashboard_WithoutAntiforgeryServices_ThrowsWithTheFix()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            a => a.MapInProcDashboard(TestApp.Prefix),
            configure: b =>
            {
                foreach (var descriptor in b.Services.Where(d => d.ServiceType == typeof(IAntiforgery)).ToList())
                {
                    b.Services.Remove(descriptor);
                }
            }));

        Assert.Contains("AddInProcDashboard()", error.Message, StringComparison.Ordinal);
    }

    private const string Nightly = "nightly ping/1";

    /// <summary>No refused POST paused or triggered the schedule.</summary>
    private static void AssertUntouched(TestApp app)
    {
        var schedule = Assert.Single(app.Monitor.GetRecurringJobs());
        Assert.False(schedule.IsPaused);
        Assert.Null(schedule.LastRunJobId);
    }

    /// <summary>Every endpoint the dashboard mapped, read from the app's endpoints (not a hand-kept list), with a real id and schedule name.</summary>
    private static List<(string Method, string Path)> DashboardUrls(TestApp app, JobId id)
    {
        var name = Uri.EscapeDataString(Nightly);
        var urls = app.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<DashboardEndpointMetadata>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/').Replace("{id}", id.ToString(), StringComparison.Ordinal).Replace("{name}", name, StringComparison.Ordinal))))
            .ToList();
        Assert.True(urls.Count >= 17, "expected every page, asset, data endpoint and action: " + string.Join(", ", urls));
        Assert.Contains(("GET", TestApp.Prefix + "/assets/dashboard.js"), urls);
        Assert.Contains(("GET", TestApp.Prefix + "/api/events"), urls);
        Assert.Contains(("POST", TestApp.Prefix + "/dead/purge"), urls);
        Assert.Contains(("GET", TestApp.Prefix + "/recurring"), urls);
        foreach (var action in new[] { "trigger", "pause", "resume" })
        {
            Assert.Contains(("POST", $"{TestApp.Prefix}/recurring/{name}/{action}"), urls);
        }

        Assert.DoesNotContain(urls, u => u.Item2.Contains('{', StringComparison.Ordinal));
        return urls;
    }
}
