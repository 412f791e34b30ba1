using Microsoft.Data.Sqlite;

namespace InProc.Sqlite.Journal;

/// <summary>The writer's single-row statements (deletes, purge, recurring claims, pruning); inserts and updates go many rows at a time (<see cref="JournalRows"/>).</summary>
internal sealed class JournalCommands : IDisposable
{
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _deleteFailed;
    private readonly SqliteCommand _claim;
    private readonly SqliteCommand _pruneOld;
    private readonly SqliteCommand _pruneExtra;

    public JournalCommands(SqliteConnection connection)
    {
        _delete = Create(connection, "DELETE FROM jobs WHERE id = $id", "$id");
        _deleteFailed = Create(connection, "DELETE FROM jobs WHERE state = 5");
        _claim = Create(connection, "INSERT INTO recurring (name, last_slot) VALUES ($name, $slot) ON CONFLICT (name) DO UPDATE SET last_slot = excluded.last_slot WHERE excluded.last_slot > recurring.last_slot",
            "$name", "$slot");
        _pruneOld = Create(connection, $"DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state IN {JournalSchema.FinishedStates} AND finished_at < $cutoff ORDER BY finished_at LIMIT $batch)",
            "$cutoff", "$batch");
        _pruneExtra = Create(connection, $"DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state IN {JournalSchema.FinishedStates} ORDER BY finished_at DESC LIMIT $batch OFFSET $keep)",
            "$batch", "$keep");
    }

    public void Execute(JournalOp op, SqliteTransaction transaction)
    {
        switch (op.Kind)
        {
            case JournalOpKind.Delete:
                Run(_delete, transaction, op.Id);
                break;
            case JournalOpKind.DeleteFailed:
                Run(_deleteFailed, transaction);
                break;
            case JournalOpKind.ClaimSlot:
                Run(_claim, transaction, op.Id, op.DueAt);
                break;
        }
    }

    /// <summary>One bounded batch of each kind of pruning; returns the rows deleted.</summary>
    public int Prune(SqliteTransaction transaction, long cutoffTicks, int keep, int batch) =>
        Run(_pruneOld, transaction, cutoffTicks, batch) + Run(_pruneExtra, transaction, batch, keep);

    public void Dispose()
    {
        foreach (var command in new[] { _delete, _deleteFailed, _claim, _pruneOld, _pruneExtra })
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
