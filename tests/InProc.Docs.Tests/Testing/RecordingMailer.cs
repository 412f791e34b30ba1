namespace MyApp.Tests;

// A stand-in for the real mailer: records what was "sent", or fails when told to.
public sealed class RecordingMailer : IMailer
{
    public List<string> Sent { get; } = [];

    public Exception? FailWith { get; set; }

    public Task SendAsync(int userId, string template, CancellationToken cancellationToken)
    {
        if (FailWith is not null)
        {
            throw FailWith;
        }

        Sent.Add($"{template} to {userId}");
        return Task.CompletedTask;
    }
}
