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

        // v3: unique keys and concurrency limits across hosts (PgUniqueKeyStore, PgLimits). A plain job's row leaves the
        // new columns NULL, so the triggers' WHEN clauses skip it without calling the function.
        """
        ALTER TABLE {s}.jobs ADD COLUMN IF NOT EXISTS unique_scope smallint, ADD COLUMN IF NOT EXISTS limit_key text, ADD COLUMN IF NOT EXISTS limit_count integer;
        CREATE INDEX IF NOT EXISTS jobs_limit_running ON {s}.jobs (type, limit_key) WHERE state = 2 AND limit_key IS NOT NULL;
        CREATE TABLE IF NOT EXISTS {s}.unique_keys (
            type text NOT NULL,
            key text NOT NULL,
            job_id text NOT NULL,
            expires_at timestamptz NOT NULL,
            PRIMARY KEY (type, key));
        CREATE INDEX IF NOT EXISTS unique_keys_job ON {s}.unique_keys (job_id);
        CREATE INDEX IF NOT EXISTS unique_keys_expires ON {s}.unique_keys (expires_at);
        CREATE OR REPLACE FUNCTION {s}.release_unique_key() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                DELETE FROM {s}.unique_keys WHERE job_id = OLD.id;
                RETURN OLD;
            END IF;
            DELETE FROM {s}.unique_keys WHERE job_id = NEW.id;
            RETURN NEW;
        END $f$;
        DROP TRIGGER IF EXISTS jobs_unique_ends ON {s}.jobs;
        CREATE TRIGGER jobs_unique_ends AFTER UPDATE OF state ON {s}.jobs FOR EACH ROW
            WHEN (NEW.unique_scope IS NOT NULL AND OLD.state IS DISTINCT FROM NEW.state
                AND ((NEW.state IN (3, 5, 6, 7) AND NEW.unique_scope <> 2) OR (NEW.state = 2 AND NEW.unique_scope = 1)))
            EXECUTE FUNCTION {s}.release_unique_key();
        DROP TRIGGER IF EXISTS jobs_unique_forgotten ON {s}.jobs;
        CREATE TRIGGER jobs_unique_forgotten AFTER DELETE ON {s}.jobs FOR EACH ROW
            WHEN (OLD.unique_scope IS NOT NULL AND OLD.state NOT IN (3, 5, 6, 7))
            EXECUTE FUNCTION {s}.release_unique_key();
        CREATE OR REPLACE FUNCTION {s}.claim_limited(p_queue text, p_types text[], p_max integer, p_host text, p_lease interval)
        RETURNS SETOF {s}.jobs LANGUAGE plpgsql AS $f$
        DECLARE
            c record;
            running bigint;
            taken integer := 0;
            passed text[] := '{}';
        BEGIN
            WHILE taken < p_max LOOP
                SELECT j.id, j.type, j.limit_key, j.limit_count INTO c FROM {s}.jobs j
                WHERE j.queue = p_queue AND j.state IN (0, 1, 4) AND j.due_at <= now() AND j.type = ANY(p_types)
                    AND (j.limit_key IS NULL OR (NOT ((j.type || chr(31) || j.limit_key) = ANY(passed))
                        AND (SELECT count(*) FROM {s}.jobs r WHERE r.state = 2 AND r.type = j.type AND r.limit_key = j.limit_key) < j.limit_count))
                ORDER BY j.due_at, j.id LIMIT 1 FOR UPDATE SKIP LOCKED;
                EXIT WHEN NOT FOUND;
                IF c.limit_key IS NOT NULL THEN
                    -- Never waits (no deadlock between claimers): a key another claimer holds now is passed this round.
                    IF NOT pg_try_advisory_xact_lock(hashtextextended('{s}' || chr(31) || c.type || chr(31) || c.limit_key, 0)) THEN
                        passed := passed || (c.type || chr(31) || c.limit_key);
                        CONTINUE;
                    END IF;
                    -- A statement of its own, so its snapshot is taken under the lock: it sees every claim committed before.
                    SELECT count(*) INTO running FROM {s}.jobs r WHERE r.state = 2 AND r.type = c.type AND r.limit_key = c.limit_key;
                    IF running >= c.limit_count THEN
                        passed := passed || (c.type || chr(31) || c.limit_key);
                        CONTINUE;
                    END IF;
                END IF;
                -- clock_timestamp(), not now() (this transaction's start): the start is after the count that let it run, so
                -- it is never before the finish of the job whose slot it takes.
                RETURN QUERY UPDATE {s}.jobs SET state = 2, lease_owner = p_host, lease_expires = clock_timestamp() + p_lease, started_at = clock_timestamp()
                    WHERE id = c.id RETURNING *;
                taken := taken + 1;
            END LOOP;
        END $f$;
        """,
    ];

    public static int Latest => Steps.Length;

    public static string? SchemaError(string? schema) =>
        schema is not null && SchemaName().IsMatch(schema) ? null
            : $"the schema name '{schema}' is not valid: use lower-case letters, digits and underscores, starting with a letter or an underscore, at most 63 characters (such as \"inproc\").";

    public static string Script(string schema) => Script(schema, Latest);

    /// <summary>The script up to <paramref name="version"/> (tests: a schema an older host left, to upgrade).</summary>
    internal static string Script(string schema, int version)
    {
        var script = new StringBuilder();
        // The lock first: CREATE SCHEMA IF NOT EXISTS is not safe against itself (hosts starting together on a new schema).
        script.Append("SELECT pg_advisory_xact_lock(hashtext('inproc.migrate.").Append(schema).AppendLine("'));");
        script.Append("CREATE SCHEMA IF NOT EXISTS ").Append(schema).AppendLine(";");
        script.Append("CREATE TABLE IF NOT EXISTS ").Append(schema).AppendLine(".schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());");
        for (var i = 0; i < version; i++)
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
