namespace InProc.Samples.WebApp;

/// <summary>
/// A stand-in mailer: takes about a second, like a slow email API, and logs instead of sending. An address at
/// <c>fail.example</c> always fails, so the dashboard has a dead letter to show and re-run.
/// </summary>
/// <param name="time">The clock the delay runs on (a fake one in tests).</param>
/// <param name="logger">Where "sent" emails are logged.</param>
public sealed class LoggingMailer(TimeProvider time, ILogger<LoggingMailer> logger) : IMailer
{
    private static readonly TimeSpan SendDuration = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public async Task SendWelcomeAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await Task.Delay(SendDuration, time, cancellationToken);
        if (user.Email.EndsWith("@fail.example", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The mail server refused {user.Email} (the sample fails every address at fail.example).");
        }

        Log.WelcomeEmailSent(logger, user.Email);
    }
}
