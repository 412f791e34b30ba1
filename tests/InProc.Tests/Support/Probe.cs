using System.Collections.Concurrent;

namespace InProc.Tests.Support;

/// <summary>What test jobs report: which messages ran, on which attempt, and how many ran at once.</summary>
internal sealed class Probe
{
    private int _running;
    private int _maxRunning;

    public ConcurrentQueue<(object Message, JobContext Context)> Runs { get; } = new();

    public int MaxConcurrency => Volatile.Read(ref _maxRunning);

    public int Running => Volatile.Read(ref _running);

    public void Record(object message, JobContext context) => Runs.Enqueue((message, context));

    public IDisposable Enter()
    {
        var now = Interlocked.Increment(ref _running);
        int max;
        while (now > (max = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, now, max) != max)
        {
        }

        return new Exit(this);
    }

    private sealed class Exit(Probe probe) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref probe._running);
    }
}
