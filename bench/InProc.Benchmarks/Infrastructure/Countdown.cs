namespace InProc.Benchmarks.Infrastructure;

/// <summary>A reusable countdown: <see cref="Reset"/> arms it for a batch, the job body signals once per job.</summary>
public sealed class Countdown
{
    private int _remaining;
    private TaskCompletionSource _done = NewSource();

    /// <summary>Jobs of the current batch that have not run yet.</summary>
    public int Remaining => Volatile.Read(ref _remaining);

    /// <summary>Arms the countdown for <paramref name="count"/> jobs; returns the task that completes when all ran.</summary>
    public Task Reset(int count)
    {
        var source = NewSource();
        Volatile.Write(ref _done, source);
        Volatile.Write(ref _remaining, count);
        return source.Task;
    }

    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            Volatile.Read(ref _done).TrySetResult();
        }
    }

    /// <summary>Waits for the batch, failing loudly instead of hanging a benchmark run forever.</summary>
    public static void Wait(Task batch, TimeSpan limit, string what)
    {
        if (!batch.Wait(limit))
        {
            throw new TimeoutException($"{what}: the batch did not finish within {limit}; {Work.Done.Remaining} jobs never ran.");
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
