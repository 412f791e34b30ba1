using Hangfire;
using Hangfire.Storage.SQLite;

namespace InProc.Benchmarks.Peers;

/// <summary>
/// Hangfire 1.8.25 on Hangfire.Storage.SQLite 0.4.3, the durable SQLite peer: <c>new BackgroundJobClient(storage)
/// .Enqueue(() => HangfireJobs.Noop())</c> (each call commits the job to the file before it returns), a
/// <see cref="BackgroundJobServer"/> with <c>WorkerCount</c> = N. One option is changed: <c>QueuePollInterval</c> =
/// 100 ms instead of its default, because an idle worker of this storage polls the table for new jobs; with the
/// default a batch would mostly measure the poll wait. Everything else default (filters incl. automatic retry).
/// </summary>
public sealed class HangfireSqlitePeer : IAsyncDisposable
{
    private readonly BackgroundJobServer? _server;
    private readonly string _directory;
    private readonly SQLiteStorage _storage;

    public HangfireSqlitePeer(int workers, bool startServer = true)
    {
        _directory = Path.Combine(Path.GetTempPath(), "inproc-bench-hangfire", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(_directory);
        _storage = new SQLiteStorage(Path.Combine(_directory, "hangfire.db"), new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromMilliseconds(100) });
        Client = new BackgroundJobClient(_storage);
        if (startServer)
        {
            _server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = workers }, _storage);
        }
    }

    public BackgroundJobClient Client { get; }

    /// <summary>Enqueues one no-op job; returns once the storage has committed it.</summary>
    public string EnqueueNoop() => Client.Enqueue(() => HangfireJobs.Noop());

    public string EnqueueLatency(int index) => Client.Enqueue(() => HangfireJobs.Latency(index));

    public ValueTask DisposeAsync()
    {
        _server?.SendStop();
        _server?.Dispose();
        _storage.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // sqlite-net may keep a handle a moment longer; the temp directory is the OS's to clean
        }

        return default;
    }
}
