namespace InProc.Benchmarks.Infrastructure;

/// <summary>
/// The job body every peer runs, so that the peers differ only in how a job gets from the caller to the body:
/// count one job done (and, in the I/O variant, await <see cref="Task.Delay(int)"/> first).
/// </summary>
public static class Work
{
    /// <summary>How long the I/O-bound body awaits.</summary>
    public static readonly TimeSpan IoDelay = TimeSpan.FromMilliseconds(10);

    /// <summary>Counts finished jobs for whichever peer is being measured; one at a time.</summary>
    public static Countdown Done { get; } = new();

    /// <summary>The no-op body: count the job and return a completed task.</summary>
    public static Task RunNoop()
    {
        Done.Signal();
        return Task.CompletedTask;
    }

    /// <summary>The I/O-bound body: await a 10 ms timer (a stand-in for an HTTP or database call), then count the job.</summary>
    public static async Task RunIo(CancellationToken cancellationToken)
    {
        await Task.Delay(IoDelay, cancellationToken);
        Done.Signal();
    }
}
