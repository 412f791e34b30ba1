namespace InProc.Benchmarks.E2E;

/// <summary>Counts what happened to the enqueued jobs, for the load client's "every enqueued job ran" check.</summary>
public sealed class E2EStats
{
    private long _enqueued;
    private long _completed;
    private long _failed;
    private long _abandoned;

    public static E2EStats Instance { get; } = new();

    public void Enqueued() => Interlocked.Increment(ref _enqueued);

    public void Completed() => Interlocked.Increment(ref _completed);

    public void Failed() => Interlocked.Increment(ref _failed);

    public void Abandoned() => Interlocked.Increment(ref _abandoned);

    public StatsSnapshot Snapshot(int waiting, int running) =>
        new(Interlocked.Read(ref _enqueued), Interlocked.Read(ref _completed), Interlocked.Read(ref _failed), Interlocked.Read(ref _abandoned), waiting, running);
}

public sealed record StatsSnapshot(long Enqueued, long Completed, long Failed, long Abandoned, int Waiting, int Running);
