using System.Security.Claims;
using InProc.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace InProc.AspNetCore.Tests.Browser;

/// <summary>
/// The dashboard in Debian's Chromium, driven by Playwright, against real Kestrel on 127.0.0.1 with cookie sign-in.
/// It fails (never skips) when Chromium is missing: .ci/run installs it with apt.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";
    // Generous: the first run after a build on a loaded 2-core machine is slow to start Chromium; never what is measured.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Dashboard_InChromium_AnonymousRefusedFailedJobAppearsLiveAndRerunSucceeds()
    {
        Assert.True(File.Exists(ChromiumPath), $"Chromium is missing at {ChromiumPath}: install it with `apt-get install -y chromium` (.ci/run does).");
        await using var app = await TestApp.StartAsync(MapWithLogin, kestrel: true, configure: AddCookieSignIn, jobs: AddSchedules);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            // The browser's own /favicon.ico probe hits the test app's root, which has none.
            if (message.Type == "error" && !message.Location.Contains("/favicon.ico", StringComparison.Ordinal))
            {
                consoleErrors.Add(message.Text + " at " + message.Location);
            }
        };
        var dashboard = app.Address + TestApp.Prefix;

        // Anonymous: the page sends the browser to the login page; the data endpoint answers nothing but a redirect.
        await page.GotoAsync(dashboard + "/dead");
        Assert.StartsWith(app.Address + "/login", page.Url, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("h1", new PageLocatorOptions { HasText = "Dead letters" }).CountAsync());
        var summary = await context.APIRequest.GetAsync(dashboard + "/api/summary", new APIRequestContextOptions { MaxRedirects = 0 });
        Assert.Equal(302, summary.Status);

        // Sign in, open the dead letters, and keep the page: everything below happens without a reload.
        await page.GotoAsync(app.Address + "/login/ops");
        Assert.Equal(dashboard + "/dead", page.Url);
        await page.Locator("#live-status", new PageLocatorOptions { HasText = "live" }).WaitForAsync();
        await page.EvaluateAsync("() => { window.inprocTestMarker = 42; }");

        app.Flaky.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var id = await app.Jobs.EnqueueAsync(new FlakyOnce(7));
        var row = page.Locator($"tr[data-job-id='{id}']");
        await row.WaitForAsync();
        Assert.Contains("flaky job 7 failed on its first run", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(42, await page.EvaluateAsync<int>("() => window.inprocTestMarker"));
        await Screenshot(page, "dead-letters");

        // Re-run it: the job page shows it running, then succeeded, live.
        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Re-run" }).ClickAsync();
        try
        {
            await page.WaitForURLAsync($"{dashboard}/jobs/{id}?notice=requeued");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"no redirect to the job page; at {page.Url}: {await page.ContentAsync()} log: {string.Join(" | ", app.Logs.Entries.Select(e => e.Message))}");
        }
        await page.Locator("[data-job-state='Running']").WaitForAsync();
        await page.Locator("#live-status", new PageLocatorOptions { HasText = "live" }).WaitForAsync();
        await page.EvaluateAsync("() => { window.inprocTestMarker = 43; }");
        app.Flaky.Gate.SetResult();
        await page.Locator("[data-job-state='Succeeded']").WaitForAsync();
        Assert.Equal(43, await page.EvaluateAsync<int>("() => window.inprocTestMarker"));
        Assert.Equal(JobState.Succeeded, app.Monitor.GetJob(id)!.State);
        Assert.Empty(app.Monitor.GetDeadLetters());
        await Screenshot(page, "job-detail");

        // The other pages, for the README.
        await app.Jobs.ScheduleAsync(new Ping(1), TimeSpan.FromHours(1));
        await app.Jobs.ScheduleAsync(new Ping(2), TimeSpan.FromHours(2));
        await app.Jobs.EnqueueAsync(new Boom("SMTP server unavailable <script>alert(1)</script>")); // fails: a dead letter to show
        foreach (var (path, name) in new[] { ("/", "overview"), ("/jobs", "jobs"), ("/scheduled", "scheduled") })
        {
            await page.GotoAsync(dashboard + path);
            await page.Locator("#live-status", new PageLocatorOptions { HasText = "live" }).WaitForAsync();
            await Screenshot(page, name);
        }

        // The recurring page: pause a schedule from the browser (the button is a form POST with its token).
        var totals = app.Monitor.TriggerRecurring("nightly totals");
        await page.GotoAsync(dashboard + "/recurring");
        await page.Locator("#live-status", new PageLocatorOptions { HasText = "live" }).WaitForAsync();
        await page.Locator($"tr[data-recurring='nightly totals'] a[href$='/jobs/{totals}'] + .state-Succeeded").WaitForAsync(); // shown live once it ran
        var purge = page.Locator("tr[data-recurring='purge soft-deleted']");
        await purge.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Pause" }).ClickAsync();
        await page.WaitForURLAsync($"{dashboard}/recurring?notice=paused");
        await purge.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Resume" }).WaitForAsync();
        Assert.True(app.Monitor.GetRecurringJobs().Single(r => r.Name == "purge soft-deleted").IsPaused);
        await Screenshot(page, "recurring");

        Assert.True(consoleErrors.Count == 0, string.Join(" | ", consoleErrors)); // a CSP violation or a script error would show here
        await context.CloseAsync();
    }

    // Schedules for the recurring page; none comes due while the test runs. "totals" has a run to show.
    private static void AddSchedules(InProcBuilder inproc)
    {
        TestApp.AddPing(inproc, "nightly totals", r => r.TimeZone = "Europe/Berlin", cron: "30 0 * * *");
        TestApp.AddPing(inproc, "purge soft-deleted", r => r.Misfire = MisfirePolicy.Skip);
        TestApp.AddPing(inproc, "partner sync", r => { r.Queue = "mail"; r.Overlap = OverlapPolicy.Queue; r.Enabled = false; }, cron: "0 */6 * * *");
    }

    private static void AddCookieSignIn(WebApplicationBuilder builder) =>
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddCookie(o => o.LoginPath = "/login");

    // A test-only sign-in: GET /login/ops signs the browser in with the "ops" role.
    private static void MapWithLogin(WebApplication app)
    {
        app.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops");
        app.MapGet("/login", () => Results.Content("<!DOCTYPE html><title>Sign in</title><p>Sign in first.</p>", "text/html"));
        app.MapGet("/login/ops", async (HttpContext context) =>
        {
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "ops-user"), new Claim(ClaimTypes.Role, "ops")], CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            context.Response.Redirect(TestApp.Prefix + "/dead");
        });
    }

    private static Task Screenshot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotsFolder(), name + ".png"), FullPage = true });

    /// <summary>
    /// The package README's screenshots are rewritten only when asked (INPROC_UPDATE_SCREENSHOTS=1), so an ordinary
    /// test run leaves the working tree clean; otherwise they go to a temporary folder (the steps still run).
    /// </summary>
    private static string ScreenshotsFolder()
    {
        if (Environment.GetEnvironmentVariable("INPROC_UPDATE_SCREENSHOTS") != "1")
        {
            return Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "inproc-screenshots")).FullName;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "InProc.sln")))
            {
                return Directory.CreateDirectory(Path.Combine(dir.FullName, "src", "InProc.AspNetCore", "docs", "screenshots")).FullName;
            }
        }

        throw new InvalidOperationException("InProc.sln not found above " + AppContext.BaseDirectory);
    }
}
