using InProc;
using InProc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MyApp.Tests;

public sealed class SignupFakeTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly RecordingMailer _mailer = new();
    private readonly ServiceProvider _services;

    public SignupFakeTests()
    {
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(_clock)
            .AddSingleton<IMailer>(_mailer)
            .AddSingleton<Signup>();
        services.AddInProc()
            .AddJob<SendWelcomeEmailJob>()
            .AddJob<SendReminderJob>()
            .UseFakeMode(); // jobs are recorded; nothing runs until the test says so
        _services = services.BuildServiceProvider();
    }

    private Signup Signup => _services.GetRequiredService<Signup>();

    private FakeJobQueue Jobs => _services.GetRequiredService<FakeJobQueue>();

    [Fact]
    public async Task RegisterAsync_NewUser_EnqueuesTheWelcomeEmailWithoutSendingIt()
    {
        await Signup.RegisterAsync(userId: 42);

        var welcome = Assert.Single(Jobs.Enqueued<SendWelcomeEmail>());
        Assert.Equal(42, welcome.Message.UserId);
        Assert.Equal("default", welcome.Queue);
        Assert.Empty(_mailer.Sent);
    }

    [Fact]
    public async Task RegisterAsync_NewUser_SchedulesTheReminderForTomorrow()
    {
        await Signup.RegisterAsync(userId: 42);

        var reminder = Assert.Single(Jobs.Enqueued<SendReminder>());
        Assert.Equal(_clock.GetUtcNow().AddDays(1), reminder.RunAt);
    }

    [Fact]
    public async Task RunAllAsync_AfterRegister_SendsBothEmailsThroughTheRealJobs()
    {
        await Signup.RegisterAsync(userId: 42);

        await Jobs.RunAllAsync(); // in the order they were enqueued, scheduled ones included

        Assert.Equal(["welcome to 42", "reminder to 42"], _mailer.Sent);
        Assert.All(Jobs.All, job => Assert.Equal(JobState.Succeeded, job.State));
    }

    public void Dispose() => _services.Dispose();
}
