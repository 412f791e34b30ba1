using Microsoft.Data.Sqlite;

namespace InProc.Sqlite.Journal;

/// <summary>
/// The journal's tables, versioned from the first release on: <c>schema_version</c> holds the version, and each
/// entry of <see cref="Migrations"/> moves a file one version forward in its own transaction. Never edit a shipped
/// migration: add the next one.
/// </summary>
internal static class JournalSchema
{
    // Finished states (Succeeded, Cancelled, Abandoned): pruned by the retention options. Failed rows are dead letters.
    public const string FinishedStates = "(3, 6, 7)";

    // Final states: finished, and Failed (5, a dead letter). A unique key whose job is in one is released.
    public const string FinalStates = "(3, 5, 6, 7)";

    private static readonly string[] Migrations =
    [
        // 1: jobs (one row per job, updated by each transition) and recurring schedules' last claimed slots.
        """
        CREATE TABLE jobs (
            id          TEXT    NOT NULL PRIMARY KEY,
            type        TEXT    NOT NULL,
            queue       TEXT    NOT NULL,
            payload     BLOB    NOT NULL,
            state       INTEGER NOT NULL,
            attempt     INTEGER NOT NULL,
            created_at  INTEGER NOT NULL,
            due_at      INTEGER,
            started_at  INTEGER,
            finished_at INTEGER,
            error_type  TEXT,
            error       TEXT,
            error_stack TEXT,
            failures    TEXT,
            recovered   INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE INDEX jobs_unfinished ON jobs (state) WHERE state NOT IN (3, 5, 6, 7);
        CREATE INDEX jobs_finished ON jobs (finished_at) WHERE state IN (3, 6, 7);
        CREATE TABLE recurring (
            name      TEXT    NOT NULL PRIMARY KEY,
            last_slot INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,

        // 2: unique keys (issue 13). One row per held key; written in the transaction of its job's insert, deleted by
        // holder with the job's release. scope is the UniqueScope (a Window key outlives its job until it expires).
        """
        CREATE TABLE unique_keys (
            type       TEXT    NOT NULL,
            key        TEXT    NOT NULL,
            job_id     TEXT    NOT NULL,
            expires_at INTEGER NOT NULL,
            scope      INTEGER NOT NULL,
            PRIMARY KEY (type, key)
        ) WITHOUT ROWID;
        CREATE INDEX unique_keys_expiry ON unique_keys (expires_at);
        """,
    ];

    public static int Latest => Migrations.Length;

    /// <summary>Brings the file to <see cref="Latest"/>; refuses a file written by a newer version.</summary>
    public static void Migrate(SqliteConnection connection, string path)
    {
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT max(version) FROM schema_version";
        var current = read.ExecuteScalar() is long found ? found : 0;
        if (current > Latest)
        {
            throw JournalErrors.NewerSchema(path, current, Latest);
        }

        for (var version = (int)current + 1; version <= Latest; version++)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            Execute(connection, Migrations[version - 1], transaction);
            Execute(connection, $"DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES ({version})", transaction);
            transaction.Commit();
        }
    }

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
