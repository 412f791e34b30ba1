using System.Net;
using System.Net.Http.Json;
using InProc.Samples.WebApp;
using InProc.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace InProc.Samples.Tests;

/// <summary>POST /signup, with the whole app in memory and InProc in a test mode: no sleeps, no polling.</summary>
public sealed class SignupTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PostSignup_SynchronousMode_SendsTheWelcomeEmailBeforeAnswering()
    {
        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.ConfigureTestServices(services =>
            {
                services.AddInProc().UseSynchronousMode();
                services.AddSingleton<IMailer, RecordingMailer>();
            }));
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/signup", new SignupRequest("ada@example.com", "Ada"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<SignupAccepted>())!;
        var sent = Assert.Single(app.Services.GetRequiredService<SentEmails>().ToList());
        Assert.Equal(("ada@example.com", accepted.JobId), (sent.Email, sent.JobId));
        Assert.Equal("Ada", Assert.Single(((RecordingMailer)app.Services.GetRequiredService<IMailer>()).Welcomed).Name);
        var status = await client.GetFromJsonAsync<JobSnapshot>($"/jobs/{accepted.JobId}");
        Assert.Equal(JobState.Succeeded, status!.State);
    }

    [Fact]
    public async Task PostSignup_SynchronousModeWithTheSamplesMailer_AnswersWhenTheClockLetsTheMailerFinish()
    {
        var clock = new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.ConfigureTestServices(services =>
            {
                services.AddInProc().UseSynchronousMode();
                services.AddSingleton<TimeProvider>(clock);
            }));
        using var client = app.CreateClient();
        Assert.Equal(0, clock.ActiveTimerCount); // so the timer waited for below is the mailer's

        // The sample's LoggingMailer takes one second on the app's clock: the request waits for it.
        var posting = client.PostAsJsonAsync("/signup", new SignupRequest("grace@example.com", "Grace"));
        await clock.WaitForActiveTimersAsync(1).WaitAsync(Patience);
        Assert.False(posting.IsCompleted);
        Assert.Equal(0, app.Services.GetRequiredService<SentEmails>().Count);
        clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        var response = await posting.WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("grace@example.com", Assert.Single(app.Services.GetRequiredService<SentEmails>().ToList()).Email);
    }

    [Fact]
    public async Task PostSignup_FakeMode_EnqueuesTheWelcomeEmailForTheNewUserWithoutSendingIt()
    {
        await using var app = FakeModeApp();
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/signup", new SignupRequest("ada@example.com", "Ada"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<SignupAccepted>())!;
        var job = Assert.Single(app.Services.GetRequiredService<FakeJobQueue>().Enqueued<SendWelcomeEmail>());
        var user = app.Services.GetRequiredService<UserStore>().Find(job.Message.UserId);
        Assert.Equal("ada@example.com", user?.Email);
        Assert.Equal((accepted.JobId, "mail"), (job.Id, job.Queue));
        Assert.Equal(0, app.Services.GetRequiredService<SentEmails>().Count);
        Assert.Empty(((RecordingMailer)app.Services.GetRequiredService<IMailer>()).Welcomed);
        var status = await client.GetFromJsonAsync<JobSnapshot>($"/jobs/{accepted.JobId}");
        Assert.Equal(JobState.Enqueued, status!.State);
    }

    [Fact]
    public async Task RunAllAsync_FakeModeAfterSignup_SendsTheWelcomeEmailThroughTheApp()
    {
        await using var app = FakeModeApp();
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/signup", new SignupRequest("ada@example.com", "Ada"));
        var jobs = app.Services.GetRequiredService<FakeJobQueue>();

        Assert.Equal(1, await jobs.RunAllAsync());

        Assert.Equal("ada@example.com", Assert.Single(app.Services.GetRequiredService<SentEmails>().ToList()).Email);
    }

    [Fact]
    public async Task EnqueueWelcome_FakeModeSameUserTwice_IsOneJob()
    {
        await using var app = FakeModeApp();
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/signup", new SignupRequest("ada@example.com", "Ada"));
        var jobs = app.Services.GetRequiredService<FakeJobQueue>();
        var first = Assert.Single(jobs.Enqueued<SendWelcomeEmail>());

        var again = await jobs.EnqueueWithResultAsync(new SendWelcomeEmail(first.Message.UserId));

        Assert.Equal(new EnqueueResult(first.Id, IsDuplicate: true), again);
        Assert.Single(jobs.Enqueued<SendWelcomeEmail>());
    }

    /// <summary>The sample app with InProc in fake mode and a mailer that records instead of sending.</summary>
    private static WebApplicationFactory<Program> FakeModeApp() =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.ConfigureTestServices(services =>
            {
                services.AddInProc().UseFakeMode();
                services.AddSingleton<IMailer, RecordingMailer>();
            }));
}
