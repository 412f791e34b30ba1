namespace InProc.Samples.WebApp;

/// <summary>Sends email. Replace <see cref="LoggingMailer"/> with a real one (SMTP, an email API) in an application.</summary>
public interface IMailer
{
    /// <summary>Sends the welcome email to <paramref name="user"/>.</summary>
    /// <param name="user">The new user.</param>
    /// <param name="cancellationToken">Cancelled by the job's timeout or by shutdown.</param>
    /// <returns>A task that completes when the email is sent.</returns>
    Task SendWelcomeAsync(User user, CancellationToken cancellationToken);
}
