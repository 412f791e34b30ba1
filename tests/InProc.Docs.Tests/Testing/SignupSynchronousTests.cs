using InProc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MyApp.Tests;

public sealed class SignupSynchronousTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly RecordingMailer _mailer = new();
    private readonly ServiceProvider _services;

    public SignupSynchronousTests()
    {
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(_clock)
            .AddSingleton<IMailer>(_mailer)
            .AddSingleton<Signup>();
        services.AddInProc()
            .AddJob<SendWelcomeEmailJob>()
            .AddJob<SendReminderJob>()
            .UseSynchronousMode(); // every job runs inside EnqueueAsync
        _services = services.BuildServiceProvider();
    }

    private Signup Signup => _services.GetRequiredService<Signup>();

    [Fact]
    public async Task RegisterAsync_NewUser_SendsTheWelcomeEmailBeforeReturning()
    {
        await Signup.RegisterAsync(userId: 42);

        Assert.Equal(["welcome to 42"], _mailer.Sent);
    }

    [Fact]
    public async Task RegisterAsync_NewUser_SendsTheReminderOneDayLater()
    {
        await Signup.RegisterAsync(userId: 42);

        _clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(1));
        Assert.Equal(["welcome to 42"], _mailer.Sent);

        _clock.Advance(TimeSpan.FromSeconds(1)); // the reminder runs in here, on this thread
        Assert.Equal(["welcome to 42", "reminder to 42"], _mailer.Sent);
    }

    [Fact]
    public async Task RegisterAsync_MailerFails_ThrowsTheMailersException()
    {
        _mailer.FailWith = new HttpRequestException("SMTP server unavailable");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Signup.RegisterAsync(userId: 42));

        Assert.Equal("SMTP server unavailable", error.Message);
        var failed = Assert.Single(_services.GetRequiredService<IJobMonitor>().GetDeadLetters());
        Assert.Equal(new SendWelcomeEmail(42), failed.Message);
    }

    public void Dispose() => _services.Dispose();
}
