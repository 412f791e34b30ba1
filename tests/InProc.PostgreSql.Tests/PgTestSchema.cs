using System.Collections.Concurrent;
using InProc.Hosting;
using InProc.PostgreSql;
using InProc.PostgreSql.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace InProc.PostgreSql.Tests;

/// <summary>
/// A schema of its own on the server CI starts (INPROC_POSTGRES_CONNECTION), dropped at the end; hosts that share it are
/// "many hosts". A missing connection string fails the test: these tests never skip.
/// </summary>
internal sealed class PgTestSchema : IDisposable
{
    /// <param name="connectionString">A server of the test's own (<see cref="Support.PrivateCluster"/>); null for the shared one.</param>
    public PgTestSchema(string? connectionString = null)
    {
        ConnectionString = connectionString ?? (Environment.GetEnvironmentVariable("INPROC_POSTGRES_CONNECTION") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "INPROC_POSTGRES_CONNECTION is not set: these tests need a PostgreSQL server. Locally: eval \"$(.ci/postgres.sh start)\" (CI does this itself)."));
        Name = "t_" + Guid.NewGuid().ToString("n")[..12];
    }

    public string ConnectionString { get; }

    public string Name { get; }

    public ConcurrentQueue<string> Logs { get; } = new();

    /// <summary>A started host on this schema.</summary>
    public async Task<IHost> StartHostAsync(Probe probe, Action<InProcBuilder> jobs, Action<PostgreSqlOptions>? pg = null, Action<InProcOptions>? options = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ListLoggerProvider(Logs));
        builder.Services.AddSingleton(probe);
        var inproc = builder.Services.AddInProc(o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(5);
            options?.Invoke(o);
        });
        jobs(inproc);
        inproc.UsePostgreSql(ConnectionString, o =>
        {
            o.Schema = Name;
            o.PollInterval = TimeSpan.FromMilliseconds(200);
            pg?.Invoke(o);
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static PgJobStore Store(IHost host) => (PgJobStore)host.Services.GetRequiredService<InProcRuntime>().Store;

    public List<(string Id, JobState State, int Attempt, string? Owner)> Rows()
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"SELECT id, state, attempt, lease_owner FROM {Name}.jobs ORDER BY id", connection);
        using var reader = command.ExecuteReader();
        var rows = new List<(string, JobState, int, string?)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), (JobState)reader.GetInt16(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return rows;
    }

    public long Count(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql.Replace("{s}", Name, StringComparison.Ordinal), connection);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql.Replace("{s}", Name, StringComparison.Ordinal), connection);
        command.ExecuteNonQuery();
    }

    public static async Task WaitUntilAsync(Func<bool> condition, int seconds = 30)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token); // bounded poll of a real server's state, not a wait for time to pass
        }
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            Execute("DROP SCHEMA IF EXISTS {s} CASCADE");
        }
        catch (NpgsqlException)
        {
        }
    }
}

internal sealed class ListLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {eventId.Name}: {formatter(state, exception)}");
    }
}

/// <summary>What the test jobs saw, per host, and gates a test opens.</summary>
internal sealed class Probe
{
    public ConcurrentQueue<(JobId Id, string Key, int Attempt, bool IsRecovery)> Runs { get; } = new();

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int FailUntilAttempt { get; set; }
}

public sealed record Work(string Key);

public sealed record Held(string Key);

internal sealed class WorkJob(Probe probe) : IJob<Work>
{
    public Task RunAsync(Work message, JobContext context)
    {
        probe.Runs.Enqueue((context.Id, message.Key, context.Attempt, context.IsRecovery));
        return context.Attempt < probe.FailUntilAttempt ? throw new InvalidOperationException("boom " + message.Key) : Task.CompletedTask;
    }
}

/// <summary>Runs until the probe's gate opens; ignores cancellation (a job that outlives its lease).</summary>
internal sealed class HeldJob(Probe probe) : IJob<Held>
{
    public async Task RunAsync(Held message, JobContext context)
    {
        probe.Runs.Enqueue((context.Id, message.Key, context.Attempt, context.IsRecovery));
        if (message.Key.StartsWith("progress", StringComparison.Ordinal))
        {
            context.ReportProgress(0.25, "a quarter");
        }

        await probe.Gate.Task;
    }
}
