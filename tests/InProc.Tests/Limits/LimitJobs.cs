using System.Collections.Concurrent;
using InProc.Hosting;
using InProc.Lifecycle;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Limits;

/// <summary>A job message with a key: <c>Mode</c> "ok" returns, "fail" throws, "block" waits on <see cref="Gates"/> by <c>Number</c>.</summary>
internal sealed record Keyed(string Key, int Number, string Mode = "ok");

internal sealed class KeyedJob(Probe probe, Gates gates, KeyTracker tracker) : IJob<Keyed>
{
    public async Task RunAsync(Keyed message, JobContext context)
    {
        probe.Record(message, context);
        using (tracker.Enter(message.Key))
        {
            switch (message.Mode)
            {
                case "fail":
                    throw new IOException($"{message} failed");
                case "block":
                    gates.Entered(message.Number).TrySetResult();
                    await gates.Gate(message.Number).Task.WaitAsync(context.CancellationToken);
                    break;
                case "yield":
                    await Task.Yield();
                    break;
            }
        }
    }
}

/// <summary>How many jobs of each key run at once, and the most ever seen per key; the start order per key.</summary>
internal sealed class KeyTracker
{
    private readonly ConcurrentDictionary<string, StrongBox> _keys = new(StringComparer.Ordinal);

    public int MaxRunning(string key) => _keys.TryGetValue(key, out var box) ? Volatile.Read(ref box.Max) : 0;

    public int Started(string key) => _keys.TryGetValue(key, out var box) ? Volatile.Read(ref box.Started) : 0;

    public IDisposable Enter(string key)
    {
        var box = _keys.GetOrAdd(key, _ => new StrongBox());
        Interlocked.Increment(ref box.Started);
        var now = Interlocked.Increment(ref box.Running);
        int max;
        while (now > (max = Volatile.Read(ref box.Max)) && Interlocked.CompareExchange(ref box.Max, now, max) != max)
        {
        }

        return new Exit(box);
    }

    private sealed class StrongBox
    {
        public int Running;
        public int Max;
        public int Started;
    }

    private sealed class Exit(StrongBox box) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref box.Running);
    }
}

/// <summary>
/// Waits for a job's change as the feed publishes it. Subscribed after the runtime's own observers (metrics, the limit
/// releaser), so by the time a wait completes every key and permit that change gives back is back.
/// </summary>
internal sealed class FeedWaiter : IJobChangeObserver
{
    private readonly ConcurrentDictionary<(JobId, JobState), TaskCompletionSource> _seen = new();

    public static FeedWaiter Attach(IServiceProvider services)
    {
        var waiter = new FeedWaiter();
        services.GetRequiredService<InProcRuntime>().Lifecycle.Feed.Subscribe(waiter);
        return waiter;
    }

    public Task WhenAsync(JobId id, JobState state) => Signal(id, state).Task.WaitAsync(TestHost.Patience);

    public bool Saw(JobId id, JobState state) => _seen.TryGetValue((id, state), out var seen) && seen.Task.IsCompleted;

    public void OnChange(in JobChange change)
    {
        if (change.Kind == JobChangeKind.Transitioned || change.Kind == JobChangeKind.Added)
        {
            Signal(change.Envelope.Id, change.State).TrySetResult();
        }
    }

    private TaskCompletionSource Signal(JobId id, JobState state) =>
        _seen.GetOrAdd((id, state), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
