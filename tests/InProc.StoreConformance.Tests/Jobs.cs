using System.Collections.Concurrent;

namespace InProc.StoreConformance.Tests;

/// <summary>What the contract's jobs saw; shared by the hosts of one test.</summary>
public sealed class Probe
{
    public ConcurrentQueue<(JobId Id, string Key, int Attempt)> Runs { get; } = new();

    /// <summary>A message whose key starts with "fail" throws until this attempt is reached (int.MaxValue: always).</summary>
    public int FailUntilAttempt { get; set; }

    public int RunsOf(JobId id) => Runs.Count(r => r.Id == id);

    /// <summary>A "held" message's job reports progress, then waits here (or for its cancellation).</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

[JobMessageName("conformance.work")]
public sealed record Work(string Key);

[JobMessageName("conformance.tick")]
public sealed record Tick(DateTimeOffset Slot);

public sealed class WorkJob(Probe probe) : IJob<Work>
{
    public Task RunAsync(Work message, JobContext context)
    {
        probe.Runs.Enqueue((context.Id, message.Key, context.Attempt));
        if (message.Key.StartsWith("fail", StringComparison.Ordinal) && context.Attempt < probe.FailUntilAttempt)
        {
            throw new InvalidOperationException("boom " + message.Key);
        }

        if (message.Key.StartsWith("held", StringComparison.Ordinal))
        {
            context.ReportProgress(0.5, "half");
            return probe.Gate.Task.WaitAsync(context.CancellationToken);
        }

        return Task.CompletedTask;
    }
}

public sealed class TickJob(Probe probe) : IJob<Tick>
{
    public Task RunAsync(Tick message, JobContext context)
    {
        probe.Runs.Enqueue((context.Id, "tick", context.Attempt));
        return Task.CompletedTask;
    }
}
