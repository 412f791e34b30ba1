using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace InProc.PostgreSql.Store;

/// <summary>
/// Versioned, forward-only schema changes. Applied at start in one transaction under a transaction-level advisory
/// lock (no session lock: it works behind PgBouncer), so hosts starting together migrate once.
/// </summary>
internal static partial class PgMigrations
{
    private static readonly string[] Steps =
    [
        // v1: jobs, hosts, recurring slots.
        """
        CREATE TABLE IF NOT EXISTS {s}.jobs (
            id text PRIMARY KEY,
            type text NOT NULL,
            queue text NOT NULL,
            state smallint NOT NULL,
            attempt integer NOT NULL,
            payload bytea NOT NULL,
            created_at timestamptz NOT NULL,
            due_at timestamptz NOT NULL DEFAULT now(),
            started_at timestamptz,
            finished_at timestamptz,
            lease_owner text,
            lease_expires timestamptz,
            recovered boolean NOT NULL DEFAULT false,
            error_type text,
            error text,
            error_stack text,
            failures text);
        CREATE INDEX IF NOT EXISTS jobs_due ON {s}.jobs (queue, due_at, id) WHERE state IN (0, 1, 4);
        CREATE INDEX IF NOT EXISTS jobs_leased ON {s}.jobs (lease_expires) WHERE state = 2;
        CREATE INDEX IF NOT EXISTS jobs_finished ON {s}.jobs (finished_at) WHERE state IN (3, 5, 6, 7);
        CREATE INDEX IF NOT EXISTS jobs_state ON {s}.jobs (state, id);
        CREATE TABLE IF NOT EXISTS {s}.hosts (
            name text PRIMARY KEY,
            started_at timestamptz NOT NULL,
            heartbeat_at timestamptz NOT NULL,
            queues text NOT NULL);
        CREATE TABLE IF NOT EXISTS {s}.recurring (
            name text PRIMARY KEY,
            last_slot bigint NOT NULL);
        """,

        // v2: a job's progress (JobContext.ReportProgress) in its row, so every host's monitor shows it.
        """
        ALTER TABLE {s}.jobs ADD COLUMN IF NOT EXISTS progress double precision, ADD COLUMN IF NOT EXISTS progress_status text;
        """,
    ];

    public static int Latest => Steps.Length;

    public static string? SchemaError(string? schema) =>
        schema is not null && SchemaName().IsMatch(schema) ? null
            : $"the schema name '{schema}' is not valid: use lower-case letters, digits and underscores, starting with a letter or an underscore, at most 63 characters (such as \"inproc\").";

    public static string Script(string schema)
    {
        var script = new StringBuilder();
        script.Append("CREATE SCHEMA IF NOT EXISTS ").Append(schema).AppendLine(";");
        script.Append("SELECT pg_advisory_xact_lock(hashtext('inproc.migrate.").Append(schema).AppendLine("'));");
        script.Append("CREATE TABLE IF NOT EXISTS ").Append(schema).AppendLine(".schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());");
        for (var i = 0; i < Steps.Length; i++)
        {
            script.AppendLine(Steps[i].Replace("{s}", schema, StringComparison.Ordinal));
            script.Append("INSERT INTO ").Append(schema).Append(".schema_version (version) VALUES (").Append(i + 1).AppendLine(") ON CONFLICT DO NOTHING;");
        }

        return script.ToString();
    }

    /// <summary>Migrates (or, with migrations off, checks) the schema; throws a start-up error that says what to do.</summary>
    public static async Task<int> EnsureAsync(NpgsqlDataSource source, string schema, bool apply, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var found = await VersionAsync(connection, schema, cancellationToken).ConfigureAwait(false);
        if (found > Latest)
        {
            throw new InvalidOperationException(
                $"InProc.PostgreSql: the schema '{schema}' is at version {found}, written by a newer InProc.PostgreSql than this one (which knows up to version {Latest}). Upgrade this host's package, or point it at another schema.");
        }

        if (found == Latest)
        {
            return found;
        }

        if (!apply)
        {
            throw new InvalidOperationException(
                $"InProc.PostgreSql: the schema '{schema}' is at version {found}; this host needs version {Latest}. Apply PostgreSqlSchema.Script(\"{schema}\"), or set PostgreSqlOptions.ApplyMigrations = true.");
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(Script(schema), connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return found;
    }

    private static async Task<int> VersionAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand($"SELECT to_regclass('{schema}.schema_version') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return 0;
            }
        }

        await using var command = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {schema}.schema_version", connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
