using System.Net;
using System.Text.RegularExpressions;
using InProc.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InProc.AspNetCore.Tests.Support;

/// <summary>
/// A minimal web app with InProc, the test authentication, an "ops" policy (role ops) and whatever the test maps. On
/// TestServer by default (a manual clock, InProc in synchronous mode unless told otherwise: that mode has no queues); on real Kestrel at 127.0.0.1 for the browser.
/// </summary>
internal sealed partial class TestApp : IAsyncDisposable
{
    public const string Ops = "alice:ops";
    public const string Prefix = "/inproc";

    private TestApp(WebApplication app, TimerAwareFakeTimeProvider? clock, LogCollector logs)
    {
        App = app;
        Clock = clock;
        Logs = logs;
    }

    public WebApplication App { get; }

    public TimerAwareFakeTimeProvider? Clock { get; }

    public LogCollector Logs { get; }

    public IJobQueue Jobs => App.Services.GetRequiredService<IJobQueue>();

    public IJobMonitor Monitor => App.Services.GetRequiredService<IJobMonitor>();

    public FlakyState Flaky => App.Services.GetRequiredService<FlakyState>();

    /// <summary>The Kestrel app's address, such as http://127.0.0.1:41234.</summary>
    public string Address => App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<TestApp> StartAsync(Action<WebApplication> map, string environment = "Production", bool kestrel = false, Action<WebApplicationBuilder>? configure = null, bool synchronous = true, Action<InProcBuilder>? jobs = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, ApplicationName = typeof(TestApp).Assembly.GetName().Name });
        var clock = kestrel ? null : new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        if (kestrel)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
            builder.Services.AddSingleton<TimeProvider>(clock!);
        }

        var logs = new LogCollector();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddSingleton<FlakyState>();
        var inproc = builder.Services.AddInProc(o => o.AddQueue("mail"))
            .AddJob<BoomJob>(j => j.Retry = RetryPolicy.None)
            .AddJob<FlakyOnceJob>(j => j.Retry = RetryPolicy.None)
            .AddJob<PingJob>(j => j.Queue = "mail");
        jobs?.Invoke(inproc);
        if (!kestrel && synchronous)
        {
            inproc.UseSynchronousMode();
        }

        builder.Services.AddInProcDashboard();
        builder.Services.AddAuthentication(TestAuthHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, null);
        builder.Services.AddAuthorization(o => o.AddPolicy("ops", p => p.RequireRole("ops")));
        configure?.Invoke(builder);

        var app = builder.Build();
        map(app);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new TestApp(app, clock, logs);
    }

    /// <summary>A client of the TestServer app, signed in as <paramref name="user"/> (name or name:role), or anonymous.</summary>
    public HttpClient Client(string? user = Ops)
    {
        var client = App.GetTestClient();
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add(TestAuthHandler.Header, user);
        }

        return client;
    }

    /// <summary>Adds a recurring <see cref="PingJob"/> named <paramref name="name"/>, nightly at 03:00 unless told otherwise.</summary>
    public static InProcBuilder AddPing(InProcBuilder inproc, string name, Action<RecurringJobOptions>? configure = null, string cron = "0 3 * * *") =>
        inproc.AddRecurringJob<PingJob, Ping>(name, cron, _ => new Ping(0), configure);

    /// <summary>A job that failed for good, with <paramref name="text"/> as its exception message.</summary>
    public async Task<JobId> DeadLetterAsync(string text)
    {
        await Assert.ThrowsAsync<BoomException>(() => Jobs.EnqueueAsync(new Boom(text)).AsTask());
        return Monitor.GetDeadLetters()[^1].Id;
    }

    /// <summary>GETs <paramref name="path"/> and returns what a POST from that page needs: the antiforgery cookie and form token.</summary>
    public static async Task<(string Cookie, string Token)> AntiforgeryAsync(HttpClient client, string path)
    {
        using var page = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var token = TokenInput().Match(html);
        Assert.True(token.Success, "the page has no antiforgery field");
        var cookie = page.Headers.GetValues("Set-Cookie").First(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        return (cookie[..cookie.IndexOf(';', StringComparison.Ordinal)], WebUtility.HtmlDecode(token.Groups[1].Value));
    }

    /// <summary>A form POST as a browser on this origin sends it, with the antiforgery cookie and token unless told otherwise.</summary>
    public static HttpRequestMessage Post(string path, (string Cookie, string Token)? antiforgery, string origin = "http://localhost", IDictionary<string, string>? fields = null)
    {
        var form = new Dictionary<string, string>(fields ?? new Dictionary<string, string>());
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (antiforgery is { } a)
        {
            form["__RequestVerificationToken"] = a.Token;
            request.Headers.Add("Cookie", a.Cookie);
        }

        request.Headers.Add("Origin", origin);
        request.Content = new FormUrlEncodedContent(form);
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await App.DisposeAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
