using Microsoft.Data.Sqlite;

namespace InProc.Sqlite.Journal;

/// <summary>The writer's prepared statements: built once on its connection, parameters reset per row.</summary>
internal sealed class JournalCommands : IDisposable
{
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _deleteFailed;
    private readonly SqliteCommand _claim;
    private readonly SqliteCommand _pruneOld;
    private readonly SqliteCommand _pruneExtra;

    public JournalCommands(SqliteConnection connection)
    {
        _insert = Create(connection, "INSERT INTO jobs (id, type, queue, payload, state, attempt, created_at, due_at) VALUES ($id, $type, $queue, $payload, $state, $attempt, $created, $due)",
            "$id", "$type", "$queue", "$payload", "$state", "$attempt", "$created", "$due");
        _update = Create(connection, "UPDATE jobs SET state = $state, attempt = $attempt, due_at = $due, started_at = $started, finished_at = $finished, error_type = $error_type, error = $error, error_stack = $error_stack, failures = coalesce($failures, failures), recovered = 0 WHERE id = $id",
            "$id", "$state", "$attempt", "$due", "$started", "$finished", "$error_type", "$error", "$error_stack", "$failures");
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
            case JournalOpKind.Insert:
                Run(_insert, transaction, op.Id, op.Type, op.Queue, op.Payload, op.State, op.Attempt, op.CreatedAt, Ticks(op.DueAt));
                break;
            case JournalOpKind.Update:
                Run(_update, transaction, op.Id, op.State, op.Attempt, Ticks(op.DueAt), Ticks(op.StartedAt), Ticks(op.FinishedAt), op.ErrorType, op.Error, op.ErrorStack, op.Failures);
                break;
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
        foreach (var command in new[] { _insert, _update, _delete, _deleteFailed, _claim, _pruneOld, _pruneExtra })
        {
            command.Dispose();
        }
    }

    private static object? Ticks(long ticks) => ticks == 0 ? null : ticks;

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
