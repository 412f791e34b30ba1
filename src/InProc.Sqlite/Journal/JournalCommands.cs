using Microsoft.Data.Sqlite;

namespace InProc.Sqlite.Journal;

/// <summary>The writer's single-row statements (deletes, recurring claims, pruning); inserts and updates go many rows at a time (<see cref="JournalRows"/>).</summary>
internal sealed class JournalCommands : IDisposable
{
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _claim;
    private readonly SqliteCommand _pruneOld;
    private readonly SqliteCommand _pruneExtra;
    private readonly SqliteCommand _claimKey;
    private readonly SqliteCommand _deleteKey;
    private readonly SqliteCommand _pruneKeys;

    public JournalCommands(SqliteConnection connection)
    {
        _delete = Create(connection, "DELETE FROM jobs WHERE id = $id", "$id");
        _claim = Create(connection, "INSERT INTO recurring (name, last_slot) VALUES ($name, $slot) ON CONFLICT (name) DO UPDATE SET last_slot = excluded.last_slot WHERE excluded.last_slot > recurring.last_slot",
            "$name", "$slot");
        _pruneOld = Create(connection, $"DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state IN {JournalSchema.FinishedStates} AND finished_at < $cutoff ORDER BY finished_at LIMIT $batch)",
            "$cutoff", "$batch");
        _pruneExtra = Create(connection, $"DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state IN {JournalSchema.FinishedStates} ORDER BY finished_at DESC LIMIT $batch OFFSET $keep)",
            "$batch", "$keep");

        // Memory decided the claim (the file is this process's alone): the insert's key row replaces whatever row is there,
        // which can only be an expired claim or one released in this same commit (its delete, keyed on its holder, then misses).
        _claimKey = Create(connection, "INSERT INTO unique_keys (type, key, job_id, expires_at, scope) VALUES ($type, $key, $job, $expires, $scope) " +
            "ON CONFLICT (type, key) DO UPDATE SET job_id = excluded.job_id, expires_at = excluded.expires_at, scope = excluded.scope",
            "$type", "$key", "$job", "$expires", "$scope");
        _deleteKey = Create(connection, "DELETE FROM unique_keys WHERE type = $type AND key = $key AND job_id = $job", "$type", "$key", "$job");
        _pruneKeys = Create(connection, "DELETE FROM unique_keys WHERE (type, key) IN (SELECT type, key FROM unique_keys WHERE expires_at <= $now LIMIT $batch)",
            "$now", "$batch");
    }

    /// <summary>The unique key an insert carries, in the insert's transaction.</summary>
    public void ClaimKey(JournalOp insert, SqliteTransaction transaction) =>
        Run(_claimKey, transaction, insert.KeyType, insert.KeyValue, insert.Id, insert.KeyExpires, insert.KeyScope);

    public void Execute(JournalOp op, SqliteTransaction transaction)
    {
        switch (op.Kind)
        {
            case JournalOpKind.Delete:
                Run(_delete, transaction, op.Id);
                break;
            case JournalOpKind.DeleteKey:
                Run(_deleteKey, transaction, op.KeyType, op.KeyValue, op.Id);
                break;
            case JournalOpKind.ClaimSlot:
                Run(_claim, transaction, op.Id, op.DueAt);
                break;
        }
    }

    /// <summary>One bounded batch of each kind of pruning; returns the rows deleted.</summary>
    public int Prune(SqliteTransaction transaction, long cutoffTicks, int keep, int batch) =>
        Run(_pruneOld, transaction, cutoffTicks, batch) + Run(_pruneExtra, transaction, batch, keep);

    /// <summary>One bounded batch of expired unique keys (memory treats them as absent already); returns the rows deleted.</summary>
    public int PruneKeys(SqliteTransaction transaction, long nowTicks, int batch) => Run(_pruneKeys, transaction, nowTicks, batch);

    public void Dispose()
    {
        foreach (var command in new[] { _delete, _claim, _pruneOld, _pruneExtra, _claimKey, _deleteKey, _pruneKeys })
        {
            command.Dispose();
        }
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static int Run(SqliteCommand command, SqliteTransaction transaction, params object?[] values)
    {
        command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command.ExecuteNonQuery();
    }
}
