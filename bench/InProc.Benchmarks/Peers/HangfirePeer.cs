using Hangfire;
using Hangfire.InMemory;
using InProc.Benchmarks.Infrastructure;

namespace InProc.Benchmarks.Peers;

/// <summary>
/// Hangfire 1.8.25 on Hangfire.InMemory 1.0.0: a <see cref="BackgroundJobClient"/> enqueues fire-and-forget jobs
/// (<c>client.Enqueue(() => HangfireJobs.Noop())</c>, the expression written inline as users write it, so its tree and
/// Hangfire's serialization are in the price), a <see cref="BackgroundJobServer"/> with <c>WorkerCount</c> = N runs
/// them. Default filters (automatic retry etc.), default job activator, default server processes.
/// </summary>
/// <remarks>
/// <para>Fetching does not poll in Hangfire.InMemory 1.0.0 (read from its source): a worker with nothing to do waits on
/// an event the storage signals when a job is queued, one waiter per job, with a 1 s re-check as a fallback. The
/// server's <c>SchedulePollingInterval</c> (15 s) concerns delayed jobs only, not used here. Workers are dedicated
/// threads, not tasks. Each enqueue and each state change is a command handed to the storage's single dispatcher
/// thread and waited for.</para>
/// <para>One storage option is changed, as its README documents: <c>MaxExpirationTime = TimeSpan.Zero</c>, so a
/// succeeded job is removed at once instead of being kept for up to 3 h (the default), which over millions of
/// benchmark jobs would fill the memory; InProc, by comparison, keeps its last 10,000 finished records.</para>
/// </remarks>
public sealed class HangfirePeer : IAsyncDisposable
{
    private readonly BackgroundJobServerOptions _options;
    private BackgroundJobServer? _server;

    public HangfirePeer(int workers, bool start = true)
    {
        _options = new BackgroundJobServerOptions { WorkerCount = workers };
        Storage = NewStorage();
        Client = new BackgroundJobClient(Storage);
        if (start)
        {
            Start();
        }
    }

    public InMemoryStorage Storage { get; private set; }

    public BackgroundJobClient Client { get; private set; }

    /// <summary>Jobs in the default queue not yet fetched by a worker.</summary>
    public long Waiting => Storage.GetMonitoringApi().EnqueuedCount("default");

    public void Start() => _server ??= new BackgroundJobServer(_options, Storage);

    /// <summary>Enqueues one no-op job.</summary>
    public string EnqueueNoop() => Client.Enqueue(() => HangfireJobs.Noop());

    /// <summary>Enqueues the latency harness's job for slot <paramref name="index"/>.</summary>
    public string EnqueueLatency(int index) => Client.Enqueue(() => HangfireJobs.Latency(index));

    /// <summary>Throws the storage away for an empty one (only while no server runs): an unconsumed batch is dropped.</summary>
    public void ResetStorage()
    {
        if (_server is not null)
        {
            throw new InvalidOperationException("A server is running on this storage.");
        }

        Storage.Dispose();
        Storage = NewStorage();
        Client = new BackgroundJobClient(Storage);
    }

    public ValueTask DisposeAsync()
    {
        _server?.SendStop();
        _server?.Dispose();
        Storage.Dispose();
        return default;
    }

    private static InMemoryStorage NewStorage() => new(new InMemoryStorageOptions { MaxExpirationTime = TimeSpan.Zero });
}
