using InProc.Benchmarks.Infrastructure;
using InProc.Hosting;
using InProc.PostgreSql;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Benchmarks.Peers;

/// <summary>
/// InProc on its PostgreSQL store (<c>UsePostgreSql(connectionString, o =&gt; o.Schema = ...)</c>), defaults but the
/// schema and the worker count. Not started, it is a pure producer: an enqueue commits its row and nothing claims it;
/// <see cref="Start"/> starts the workers and the claimer, as the hosted service does.
/// </summary>
public sealed class InProcPgPeer : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public InProcPgPeer(string schema, int workers, bool start, Action<PostgreSqlOptions>? configure = null)
    {
        Schema = schema;
        var services = new ServiceCollection();
        services.AddInProc(o => o.AddQueue("default", q => q.Workers = workers))
            .AddJob<NoopJob>()
            .AddJob<Harness.PgLatencyJob>()
            .UsePostgreSql(PgBench.ConnectionString, o =>
            {
                o.Schema = schema;
                configure?.Invoke(o);
            });
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostApplicationLifetime, BenchLifetime>();
        _services = services.BuildServiceProvider();
        Runtime = _services.GetRequiredService<InProcRuntime>();
        Queue = _services.GetRequiredService<IJobQueue>();
        if (start)
        {
            Start();
        }
    }

    public string Schema { get; }

    public IJobQueue Queue { get; }

    internal InProcRuntime Runtime { get; }

    public string RemainingSql => PgBench.InProcRemaining(Schema);

    public void Start() => Runtime.Start();

    public ValueTask<JobId> EnqueueNoop() => Queue.EnqueueAsync(NoopMessage.Instance);

    /// <summary><paramref name="count"/> no-op enqueues from <paramref name="producers"/> concurrent tasks, each awaiting its commit.</summary>
    public Task EnqueueManyAsync(int count, int producers) => PgBench.ProduceAsync(count, producers, async _ => await EnqueueNoop());

    public async ValueTask DisposeAsync()
    {
        await Runtime.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }
}
