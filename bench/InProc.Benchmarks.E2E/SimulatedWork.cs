namespace InProc.Benchmarks.E2E;

/// <summary>The work both endpoints do: ~200 ms of awaiting (a stand-in for a slow third-party call).</summary>
public static class SimulatedWork
{
    public static readonly TimeSpan Duration = TimeSpan.FromMilliseconds(200);

    public static Task RunAsync(CancellationToken cancellationToken) => Task.Delay(Duration, cancellationToken);
}

/// <summary>The message of the enqueued variant.</summary>
public sealed record SimulatedWorkMessage;

/// <summary>The job of the enqueued variant: the same work, then counted.</summary>
public sealed class SimulatedWorkJob : IJob<SimulatedWorkMessage>
{
    public async Task RunAsync(SimulatedWorkMessage message, JobContext context)
    {
        await SimulatedWork.RunAsync(context.CancellationToken);
        E2EStats.Instance.Completed();
    }
}
