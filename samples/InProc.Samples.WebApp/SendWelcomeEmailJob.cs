namespace InProc.Samples.WebApp;

/// <summary>
/// Sends the welcome email of a new user. Resolved from a fresh scope for every attempt; a failed attempt is
/// retried with the default policy (5 attempts, exponential backoff), then goes to the dead letters.
/// </summary>
/// <param name="mailer">Sends the email.</param>
/// <param name="users">Where the user is looked up.</param>
/// <param name="sent">Records each email sent, for tests and demos.</param>
/// <param name="logger">Logs a user that no longer exists.</param>
public sealed class SendWelcomeEmailJob(IMailer mailer, UserStore users, SentEmails sent, ILogger<SendWelcomeEmailJob> logger)
    : IJob<SendWelcomeEmail>
{
    /// <inheritdoc />
    public async Task RunAsync(SendWelcomeEmail message, JobContext context)
    {
        if (users.Find(message.UserId) is not { } user)
        {
            // Nothing to send, and retrying will not bring the user back: finish without failing.
            Log.UserNotFound(logger, message.UserId, context.Id);
            return;
        }

        await mailer.SendWelcomeAsync(user, context.CancellationToken);
        sent.Add(new SentEmail(user.Id, user.Email, context.Id));
    }
}
