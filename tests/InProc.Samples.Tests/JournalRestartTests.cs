using System.Net;
using System.Net.Http.Json;
using InProc.Samples.WebApp;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace InProc.Samples.Tests;

/// <summary>The sample with its "Journal" switch on: a welcome email still being sent when the app stops is sent after the restart.</summary>
public sealed class JournalRestartTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("inproc-sample-journal").FullName;

    // The users outlive the app, as a real database would; the sample's in-memory store would not.
    private readonly UserStore _users = new();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Restart_WithTheJournal_SendsTheEmailThatWasInterrupted()
    {
        var stuck = new StuckMailer();
        SignupAccepted accepted;
        await using (var first = App(stuck))
        {
            using var client = first.CreateClient();
            var response = await client.PostAsJsonAsync("/signup", new SignupRequest("ada@example.com", "Ada"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            accepted = (await response.Content.ReadFromJsonAsync<SignupAccepted>())!;
            await stuck.Started.Task.WaitAsync(Patience);
        } // the stop cancels the send: the job stays in the journal

        var mailer = new RecordingMailer();
        await using var second = App(mailer);
        using var restarted = second.CreateClient(); // starts the app: recovery queues the job again
        var sent = second.Services.GetRequiredService<SentEmails>();
        using var cancel = new CancellationTokenSource(Patience);
        while (sent.Count == 0)
        {
            await Task.Delay(10, cancel.Token);
        }

        Assert.Equal(("ada@example.com", accepted.JobId), (sent.ToList()[0].Email, sent.ToList()[0].JobId));
        var status = await restarted.GetFromJsonAsync<JobSnapshot>($"/jobs/{accepted.JobId}");
        Assert.Equal((JobState.Succeeded, 2), (status!.State, status.Attempt)); // the interrupted attempt was the first
    }

    private WebApplicationFactory<Program> App(IMailer mailer) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Journal", Path.Combine(_directory, "jobs.db"));
            web.ConfigureTestServices(services =>
            {
                services.AddSingleton(_users);
                services.AddSingleton(mailer);
                services.Configure<InProcOptions>(o => o.ShutdownTimeout = TimeSpan.Zero);
            });
        });

    private sealed class StuckMailer : IMailer
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task SendWelcomeAsync(User user, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
