using InProc;

namespace MyApp;

public sealed record SendWelcomeEmail(int UserId);

public sealed record SendReminder(int UserId);

public interface IMailer
{
    Task SendAsync(int userId, string template, CancellationToken cancellationToken);
}

public sealed class SendWelcomeEmailJob(IMailer mailer) : IJob<SendWelcomeEmail>
{
    public Task RunAsync(SendWelcomeEmail message, JobContext context) =>
        mailer.SendAsync(message.UserId, "welcome", context.CancellationToken);
}

public sealed class SendReminderJob(IMailer mailer) : IJob<SendReminder>
{
    public Task RunAsync(SendReminder message, JobContext context) =>
        mailer.SendAsync(message.UserId, "reminder", context.CancellationToken);
}

// The code under test: welcomes a new user now and reminds them tomorrow.
public sealed class Signup(IJobQueue jobs)
{
    public async Task RegisterAsync(int userId, CancellationToken cancellationToken = default)
    {
        await jobs.EnqueueAsync(new SendWelcomeEmail(userId), cancellationToken);
        await jobs.ScheduleAsync(new SendReminder(userId), TimeSpan.FromDays(1), cancellationToken);
    }
}
