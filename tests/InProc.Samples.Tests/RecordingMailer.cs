using System.Collections.Concurrent;
using InProc.Samples.WebApp;

namespace InProc.Samples.Tests;

/// <summary>Replaces the sample's slow mailer: records who got a welcome email, at once.</summary>
public sealed class RecordingMailer : IMailer
{
    private readonly ConcurrentQueue<User> _welcomed = new();

    public IReadOnlyList<User> Welcomed => [.. _welcomed];

    public Task SendWelcomeAsync(User user, CancellationToken cancellationToken)
    {
        _welcomed.Enqueue(user);
        return Task.CompletedTask;
    }
}
