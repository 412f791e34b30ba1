using InProc.PostgreSql;
using Npgsql;

namespace InProc.StoreConformance.Tests;

/// <summary>
/// One store under the contract: how a host is pointed at it, and what the store promises that the others do not. A
/// fresh instance (a new file, a new schema) per test; hosts started from one instance share it, one after another (a
/// restart) or at once (PostgreSQL's many hosts).
/// </summary>
public interface IStoreUnderTest : IDisposable
{
    /// <summary>True when acknowledged jobs outlive the process (SQLite journal, PostgreSQL); false for memory.</summary>
    bool KeepsJobsAcrossRestart { get; }

    void Use(InProcBuilder builder);
}

/// <summary>The embedded default: nothing to configure.</summary>
public sealed class MemoryStore : IStoreUnderTest
{
    public bool KeepsJobsAcrossRestart => false;

    public void Use(InProcBuilder builder)
    {
    }

    public void Dispose()
    {
    }
}

/// <summary>A SQLite journal in a temp file, deleted afterwards.</summary>
public sealed class SqliteStore : IStoreUnderTest
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "inproc-conformance", Guid.NewGuid().ToString("n"));

    public bool KeepsJobsAcrossRestart => true;

    public void Use(InProcBuilder builder)
    {
        Directory.CreateDirectory(_directory);
        builder.UseSqliteJournal(Path.Combine(_directory, "jobs.db"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// A schema of its own on the server CI starts (INPROC_POSTGRES_CONNECTION), dropped afterwards. A missing connection
/// string fails the test: these tests never skip.
/// </summary>
public sealed class PostgreSqlStore : IStoreUnderTest
{
    private readonly string _connectionString = Environment.GetEnvironmentVariable("INPROC_POSTGRES_CONNECTION") is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException(
            "INPROC_POSTGRES_CONNECTION is not set: the PostgreSQL half of the store contract needs a server. Locally: eval \"$(.ci/postgres.sh start)\" (CI does this itself).");

    private readonly string _schema = "c_" + Guid.NewGuid().ToString("n")[..12];

    public bool KeepsJobsAcrossRestart => true;

    public void Use(InProcBuilder builder) => builder.UsePostgreSql(_connectionString, o =>
    {
        o.Schema = _schema;
        o.PollInterval = TimeSpan.FromMilliseconds(100);
    });

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            using var connection = new NpgsqlConnection(_connectionString);
            connection.Open();
            using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
        }
    }
}
