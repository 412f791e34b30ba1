namespace InProc.Execution;

/// <summary>
/// Makes time-ordered ids. The sequence starts at a random point in each process, so two processes that
/// start in the same millisecond (a restart) still never hand out the same id.
/// </summary>
internal sealed class JobIdGenerator(TimeProvider time)
{
    // 62 random bits leave room to count for centuries without wrapping.
    private long _sequence = Random.Shared.NextInt64(0, long.MaxValue >> 1);

    public JobId Next() => Next(time.GetUtcNow());

    /// <summary>An id stamped with <paramref name="now"/>, for a caller that has just read the clock for the job's creation time anyway.</summary>
    public JobId Next(DateTimeOffset now) => new(now.ToUnixTimeMilliseconds(), Interlocked.Increment(ref _sequence));
}
