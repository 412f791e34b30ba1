using Npgsql;

namespace InProc.PostgreSql.Store;

/// <summary>
/// A claim or a result write whose commit does not wait for the WAL flush (<c>synchronous_commit = off</c> for that
/// transaction only): a host drains as fast as the server executes, not as fast as its disk syncs. What a server
/// crash can lose is the last fraction of a second of these commits, and either loss is one at-least-once already
/// covers: a lost claim puts the row back as it was (due, for any host), a lost result leaves it Running under a
/// lease that expires (it runs again, attempt + 1). Enqueues, which a caller is told are committed, keep the
/// synchronous commit; a later synchronous commit flushes every earlier one, so the order of outcomes holds.
/// </summary>
internal static class PgAsyncCommit
{
    private const string Off = "SELECT set_config('synchronous_commit', 'off', true)";

    /// <summary>
    /// One round trip: the setting, local to the batch's implicit transaction, then <paramref name="sql"/>. Read its
    /// rows after one <see cref="NpgsqlDataReader.NextResultAsync(CancellationToken)"/> (the setting's own row comes first).
    /// </summary>
    public static NpgsqlBatch Batch(NpgsqlDataSource source, string sql, params object?[] values)
    {
        var batch = source.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Off));
        batch.BatchCommands.Add(PgCommands.Batch(sql, values));
        return batch;
    }

    /// <summary>Executes <paramref name="batch"/> and moves its reader past the setting's row to the statement's rows.</summary>
    public static async Task<NpgsqlDataReader> ReadAsync(NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        return reader;
    }
}
