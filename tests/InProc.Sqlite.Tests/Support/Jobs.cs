namespace InProc.Sqlite.Tests.Support;

public sealed record Work(string Key);

[JobMessageName("tests.renamed-work")]
public sealed record NamedWork(string Key);

/// <summary>Records each attempt; fails while <see cref="Probe.Fail"/> is set.</summary>
internal sealed class WorkJob(Probe probe) : IJob<Work>, IJob<NamedWork>
{
    public Task RunAsync(Work message, JobContext context)
    {
        probe.Runs.Enqueue((context.Id, message.Key, context.Attempt, context.IsRecovery));
        return probe.Fail ? throw new InvalidOperationException("boom " + message.Key) : Task.CompletedTask;
    }

    public Task RunAsync(NamedWork message, JobContext context) => RunAsync(new Work(message.Key), context);
}

public sealed record Blocking(string Key);

/// <summary>Waits for the probe's gate or its cancellation token (the stop).</summary>
internal sealed class BlockingJob(Probe probe) : IJob<Blocking>
{
    public async Task RunAsync(Blocking message, JobContext context)
    {
        probe.Runs.Enqueue((context.Id, message.Key, context.Attempt, context.IsRecovery));
        probe.Started.TrySetResult(context.Id);
        await probe.Gate.Task.WaitAsync(context.CancellationToken);
    }
}
