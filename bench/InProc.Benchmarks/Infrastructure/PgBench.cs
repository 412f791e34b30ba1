using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace InProc.Benchmarks.Infrastructure;

/// <summary>
/// The PostgreSQL benchmarks' server (INPROC_POSTGRES_CONNECTION, the one the tests use), a fresh schema per measured
/// peer, and the polls that tell when a peer's rows are all done.
/// </summary>
public static class PgBench
{
    /// <summary>The connection string; a clear error when it is missing.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("INPROC_POSTGRES_CONNECTION") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "INPROC_POSTGRES_CONNECTION is not set: the PostgreSQL benchmarks need a server. Locally: " +
                "eval \"$(.ci/postgres.sh start)\" in the repository, or export INPROC_POSTGRES_CONNECTION='Host=...;Username=...;Database=...'.");

    /// <summary>A schema name no earlier run used: lower-case, as both stores accept.</summary>
    public static string NewSchema(string prefix) => prefix + "_" + Guid.NewGuid().ToString("n")[..10];

    /// <summary>
    /// InProc's jobs not done yet: Scheduled, Enqueued, Running (a claimed row stays Running until its result is
    /// written) or Retrying. Not a count of Succeeded rows: the host prunes finished rows beyond its retention
    /// (10,000 by default) while it drains.
    /// </summary>
    public static string InProcRemaining(string schema) => $"SELECT count(*) FROM {schema}.jobs WHERE state IN (0, 1, 2, 4)";

    /// <summary>Hangfire.PostgreSql's jobs not Succeeded yet (its job table keeps the current state's name).</summary>
    public static string HangfireRemaining(string schema) => $"SELECT count(*) FROM {schema}.job WHERE statename IS DISTINCT FROM 'Succeeded'";

    /// <summary>The server's committed transactions so far, in the current database (the statistics lag up to 0.5 s behind).</summary>
    public static string Commits => "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()";

    public static long Count(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Polls <paramref name="sql"/> (a count) every 50 ms on one connection until it is 0; fails loudly after
    /// <paramref name="limit"/>. Not more often: the count walks the state index, dead entries included, and at 10 ms
    /// the poll itself took a measurable share of the server's CPU during a drain.
    /// </summary>
    public static async Task WaitForNoneAsync(string sql, TimeSpan limit)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        long count;
        while ((count = Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)) > 0)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{count} jobs were still not done after {limit} ({sql}).");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Disposes each peer that was set up, then drops its schema.</summary>
    public static async Task DisposeAndDropAsync(params (IAsyncDisposable? Peer, string? Schema)[] peers)
    {
        foreach (var (peer, schema) in peers)
        {
            if (peer is not null)
            {
                await peer.DisposeAsync();
                Drop(schema!);
            }
        }
    }

    public static void Drop(string schema)
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        command.ExecuteNonQuery();
    }

    /// <summary>The 1, 5 and 15 minute load averages, to print with every table (the machine is shared).</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "n/a";

    /// <summary>Runs <paramref name="each"/> for indexes 0..count-1 from <paramref name="producers"/> concurrent tasks.</summary>
    public static Task ProduceAsync(int count, int producers, Func<int, ValueTask> each)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, producers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await each(i);
            }
        })));
    }

    /// <summary>
    /// Runs <paramref name="each"/> for indexes 0..count-1 from <paramref name="producers"/> dedicated threads: for the
    /// blocking enqueue APIs (Hangfire's), which on pool threads would wait for the pool to grow.
    /// </summary>
    public static void ProduceOnThreads(int count, int producers, Action<int> each)
    {
        var next = -1;
        var threads = Enumerable.Range(0, producers).Select(_ => new Thread(() =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                each(i);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
    }
}
