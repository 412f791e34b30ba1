namespace InProc.AspNetCore.Tests.Support;

/// <summary>Fails with <see cref="Text"/> as the exception's message.</summary>
internal sealed record Boom(string Text);

/// <summary>Fails on its first run, succeeds on the next (a re-run from the dead letters).</summary>
internal sealed record FlakyOnce(int Number);

/// <summary>Does nothing; scheduled to have jobs in the Scheduled state.</summary>
internal sealed record Ping(int Number);

internal sealed class BoomException(string message) : Exception(message);

internal sealed class BoomJob : IJob<Boom>
{
    public Task RunAsync(Boom message, JobContext context) => throw new BoomException(message.Text);
}

/// <summary>Remembers which <see cref="FlakyOnce"/> numbers already failed once; a gate can hold the second run.</summary>
internal sealed class FlakyState
{
    private readonly HashSet<int> _failed = [];

    /// <summary>When set, the second run waits for it: a browser test watches the job run, then lets it finish.</summary>
    public TaskCompletionSource? Gate { get; set; }

    public bool FirstRun(int number)
    {
        lock (_failed)
        {
            return _failed.Add(number);
        }
    }
}

internal sealed class FlakyOnceJob(FlakyState state) : IJob<FlakyOnce>
{
    public async Task RunAsync(FlakyOnce message, JobContext context)
    {
        if (state.FirstRun(message.Number))
        {
            throw new BoomException($"flaky job {message.Number} failed on its first run");
        }

        context.ReportProgress(0.5, "halfway");
        if (state.Gate is { } gate)
        {
            await gate.Task.WaitAsync(context.CancellationToken);
        }
    }
}

internal sealed class PingJob : IJob<Ping>
{
    public Task RunAsync(Ping message, JobContext context) => Task.CompletedTask;
}

/// <summary>A job under a rate limit of one a second, so the second one waits on it.</summary>
internal sealed record Throttled(string Partner);

internal sealed class ThrottledJob : IJob<Throttled>
{
    public Task RunAsync(Throttled message, JobContext context) => Task.CompletedTask;
}
