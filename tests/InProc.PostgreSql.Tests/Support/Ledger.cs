using Npgsql;

namespace InProc.PostgreSql.Tests.Support;

/// <summary>One event of the host processes' ledger: an attempt's start, done or fail, on the database's clock.</summary>
internal sealed record LedgerEvent(string Job, int Attempt, string Host, string Event, bool Recovered, DateTime At);

/// <summary>A job row as the process tests check it: final state and attempt, and the due time (a take-over sets it to the database's now).</summary>
internal sealed record JobRow(string Id, JobState State, int Attempt, string? Owner, DateTime CreatedAt, DateTime DueAt);

/// <summary>The ledger table the host processes write (tests/InProc.PostgreSql.Host/Ledger.cs), and reads of the schema's rows.</summary>
internal static class LedgerTable
{
    /// <summary>The schema (InProc migrates into an existing one) and its ledger, before any host starts.</summary>
    public static void Create(PgTestSchema schema) => schema.Execute(
        "CREATE SCHEMA {s}; CREATE TABLE {s}.ledger (job text NOT NULL, attempt int NOT NULL, host text NOT NULL, event text NOT NULL, recovered bool NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())");

    public static List<LedgerEvent> Read(PgTestSchema schema) => Query(schema, "SELECT job, attempt, host, event, recovered, at FROM {s}.ledger ORDER BY at", r =>
        new LedgerEvent(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetBoolean(4), r.GetDateTime(5)));

    public static List<JobRow> Jobs(PgTestSchema schema) => Query(schema, "SELECT id, state, attempt, lease_owner, created_at, due_at FROM {s}.jobs", r =>
        new JobRow(r.GetString(0), (JobState)r.GetInt16(1), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetDateTime(4), r.GetDateTime(5)));

    /// <summary>The database's clock.</summary>
    public static DateTime Now(PgTestSchema schema) => Query(schema, "SELECT clock_timestamp()", r => r.GetDateTime(0)).Single();

    /// <summary>Connections LISTENing on the schema's channel (a host's listen connection is idle after its LISTEN).</summary>
    public static int Listeners(PgTestSchema schema) =>
        Query(schema, "SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN inproc_{s}'", r => (int)r.GetInt64(0)).Single();

    /// <summary>Statements the host (its connections' application name) has in flight.</summary>
    public static int Busy(PgTestSchema schema, string host) =>
        Query(schema, $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{host}' AND state <> 'idle'", r => (int)r.GetInt64(0)).Single();

    private static List<T> Query<T>(PgTestSchema schema, string sql, Func<NpgsqlDataReader, T> read)
    {
        using var connection = new NpgsqlConnection(schema.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql.Replace("{s}", schema.Name, StringComparison.Ordinal), connection);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
