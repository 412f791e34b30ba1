using Hangfire;
using Hangfire.PostgreSql;
using InProc.Benchmarks.Infrastructure;

namespace InProc.Benchmarks.Peers;

/// <summary>
/// Hangfire 1.8.25 on Hangfire.PostgreSql 1.21.1, the durable PostgreSQL peer: <c>new BackgroundJobClient(storage)
/// .Enqueue(() => HangfireJobs.Noop())</c> (each call commits the job, its parameters and its Enqueued state before it
/// returns), a <see cref="BackgroundJobServer"/> with <c>WorkerCount</c> = N draining it. Storage options default but
/// the schema and <c>QueuePollInterval</c> = 100 ms (default 15 s: an idle worker polls the queue table, so with the
/// default a drain that starts on an idle server would mostly measure the poll wait). The server is created by
/// <see cref="Start"/>, so the storage alone is a pure producer.
/// </summary>
public sealed class HangfirePgPeer : IAsyncDisposable
{
    private readonly int _workers;
    private readonly PostgreSqlStorage _storage;
    private BackgroundJobServer? _server;

    public HangfirePgPeer(string schema, int workers, bool start, TimeSpan? queuePollInterval = null)
    {
        Schema = schema;
        _workers = workers;
        _storage = new PostgreSqlStorage(
            new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(PgBench.ConnectionString, Options(schema, queuePollInterval)),
            Options(schema, queuePollInterval));
        Client = new BackgroundJobClient(_storage);
        if (start)
        {
            Start();
        }
    }

    public string Schema { get; }

    public BackgroundJobClient Client { get; }

    public string RemainingSql => PgBench.HangfireRemaining(Schema);

    public void Start() => _server ??= new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = _workers }, _storage);

    public string EnqueueNoop() => Client.Enqueue(() => HangfireJobs.Noop());

    /// <summary><paramref name="count"/> no-op enqueues from <paramref name="producers"/> dedicated threads (the call blocks until committed).</summary>
    public void EnqueueMany(int count, int producers) => PgBench.ProduceOnThreads(count, producers, _ => EnqueueNoop());

    public ValueTask DisposeAsync()
    {
        _server?.SendStop();
        _server?.Dispose();
        return default;
    }

    private static PostgreSqlStorageOptions Options(string schema, TimeSpan? poll) => new()
    {
        SchemaName = schema,
        QueuePollInterval = poll ?? TimeSpan.FromMilliseconds(100),
        PrepareSchemaIfNecessary = true,
    };
}
