using System.Collections.Concurrent;
using InProc.Hosting;
using InProc.Sqlite.Journal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace InProc.Sqlite.Tests.Support;

/// <summary>A temporary directory holding one journal, and hosts that open it one after the other (a "restart").</summary>
internal sealed class JournalDir : IDisposable
{
    public JournalDir()
    {
        Directory = Path.Combine(Path.GetTempPath(), "inproc-sqlite-tests", Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(Directory);
        FilePath = Path.Combine(Directory, "jobs.db");
    }

    public string Directory { get; }

    public string FilePath { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero));

    public ConcurrentQueue<string> Logs { get; } = new();

    /// <summary>A started host on the journal; <paramref name="configure"/> registers jobs and options.</summary>
    public async Task<IHost> StartAsync(Action<InProcBuilder> configure, Action<InProcOptions>? options = null, Action<SqliteJournalOptions>? journal = null, bool fakeTime = true)
    {
        var host = Build(configure, options, journal, fakeTime);
        await host.StartAsync();
        return host;
    }

    public IHost Build(Action<InProcBuilder> configure, Action<InProcOptions>? options = null, Action<SqliteJournalOptions>? journal = null, bool fakeTime = true)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(new ListLoggerProvider(Logs));
        if (fakeTime)
        {
            builder.Services.AddSingleton<TimeProvider>(Time);
        }

        builder.Services.AddSingleton(new Probe());
        var inproc = builder.Services.AddInProc(o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(5);
            options?.Invoke(o);
        });
        configure(inproc);
        inproc.UseSqliteJournal(FilePath, journal);
        return builder.Build();
    }

    public static SqliteJobStore Store(IHost host) => (SqliteJobStore)host.Services.GetRequiredService<InProcRuntime>().Store;

    /// <summary>Rows of the file, read through a connection of its own (WAL lets it read while the journal is open).</summary>
    public List<(string Id, string Type, JobState State, int Attempt)> Rows()
    {
        using var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, type, state, attempt FROM jobs ORDER BY id";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string, JobState, int)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), (JobState)reader.GetInt32(2), reader.GetInt32(3)));
        }

        return rows;
    }

    /// <summary>Changes the file behind the journal's back (the journal must be closed): a crash's leftovers, a renamed type.</summary>
    public void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a child process may still hold a file for a moment; the temp directory is cleaned by the OS
        }
    }
}
