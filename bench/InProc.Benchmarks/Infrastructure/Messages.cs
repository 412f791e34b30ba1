namespace InProc.Benchmarks.Infrastructure;

/// <summary>The no-op job's message. <see cref="Instance"/> is reused so that enqueueing it allocates nothing itself.</summary>
public sealed record NoopMessage
{
    public static readonly NoopMessage Instance = new();
}

/// <summary>The I/O-bound job's message (a 10 ms await).</summary>
public sealed record IoMessage
{
    public static readonly IoMessage Instance = new();
}

/// <summary>The latency harness's message: which slot of the run it is, so the job can stamp its start time.</summary>
public sealed record LatencyMessage(int Index);

public sealed class NoopJob : IJob<NoopMessage>
{
    public Task RunAsync(NoopMessage message, JobContext context) => Work.RunNoop();
}

public sealed class IoJob : IJob<IoMessage>
{
    public Task RunAsync(IoMessage message, JobContext context) => Work.RunIo(context.CancellationToken);
}

public sealed class LatencyJob : IJob<LatencyMessage>
{
    public Task RunAsync(LatencyMessage message, JobContext context)
    {
        Harness.LatencyHarness.Started(message.Index);
        return Work.RunNoop();
    }
}
