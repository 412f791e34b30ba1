using InProc.Benchmarks.Infrastructure;
using InProc.Hosting;
using InProc.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Benchmarks.Peers;

/// <summary>
/// InProc with the SQLite journal (<c>UseSqliteJournal</c>) on a fresh file in a temporary directory, otherwise set up
/// as <see cref="InProcPeer"/>: the runtime is resolved and started directly, which is what the hosted service does.
/// </summary>
public sealed class JournalPeer : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string _directory;

    public JournalPeer(int workers, int capacity, SqliteSynchronous synchronous = SqliteSynchronous.Full)
    {
        _directory = Path.Combine(Path.GetTempPath(), "inproc-bench-journal", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(_directory);
        var services = new ServiceCollection();
        services.AddInProc(o => o.AddQueue("default", q =>
            {
                q.Workers = workers;
                q.Capacity = capacity;
            }))
            .AddJob<NoopJob>()
            .AddJob<LatencyJob>()
            .UseSqliteJournal(Path.Combine(_directory, "jobs.db"), o => o.Synchronous = synchronous);
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostApplicationLifetime, BenchLifetime>();
        _services = services.BuildServiceProvider();
        Runtime = _services.GetRequiredService<InProcRuntime>();
        Queue = _services.GetRequiredService<IJobQueue>();
        Runtime.Start();
    }

    internal InProcRuntime Runtime { get; }

    public IJobQueue Queue { get; }

    public async ValueTask DisposeAsync()
    {
        await Runtime.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
