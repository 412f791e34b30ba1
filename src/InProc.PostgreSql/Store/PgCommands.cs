using Npgsql;

namespace InProc.PostgreSql.Store;

/// <summary>One-statement helpers over positional parameters ($1, $2, ...).</summary>
internal static class PgCommands
{
    public static NpgsqlBatchCommand Batch(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        Bind(command.Parameters, values);
        return command;
    }

    public static NpgsqlCommand Command(NpgsqlDataSource source, string sql, params object?[] values)
    {
        var command = source.CreateCommand(sql);
        Bind(command.Parameters, values);
        return command;
    }

    /// <summary>A statement in <paramref name="transaction"/>, on its connection.</summary>
    public static NpgsqlCommand Command(NpgsqlTransaction transaction, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, transaction.Connection, transaction);
        Bind(command.Parameters, values);
        return command;
    }

    /// <summary>The positional parameters: <paramref name="values"/> in order, null as SQL NULL.</summary>
    private static void Bind(NpgsqlParameterCollection parameters, object?[] values)
    {
        foreach (var value in values)
        {
            parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
    }

    /// <summary>
    /// Runs a batch's statements one at a time, synchronously, in <paramref name="transaction"/>. Npgsql sends a
    /// synchronous batch of several statements from a thread-pool task (so that its writes cannot deadlock with the
    /// server's replies): a thread that blocks on it while the pool is starved waits for a pool thread. Callers that
    /// block anyway (a unique claim and its job's insert) run single statements instead.
    /// </summary>
    public static void RunEach(NpgsqlBatch batch, NpgsqlTransaction transaction)
    {
        foreach (var statement in batch.BatchCommands)
        {
            using var command = Command(transaction, statement.CommandText, [.. statement.Parameters.Cast<NpgsqlParameter>().Select(p => p.Value)]);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Runs a statement on a pooled connection; returns the rows it changed. Synchronous: for the callers that cannot await (the lifecycle's compare-and-sets, the stop).</summary>
    public static int Run(NpgsqlDataSource source, string sql, params object?[] values)
    {
        using var command = Command(source, sql, values);
        return command.ExecuteNonQuery();
    }

    public static async Task<int> RunAsync(NpgsqlDataSource source, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(source, sql, values);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static List<PgRow> Rows(NpgsqlDataSource source, string sql, params object?[] values)
    {
        using var command = Command(source, sql, values);
        using var reader = command.ExecuteReader();
        var rows = new List<PgRow>();
        while (reader.Read())
        {
            rows.Add(PgRow.Read(reader));
        }

        return rows;
    }
}

/// <summary>The store's own exception messages.</summary>
internal static class PgErrors
{
    public static InvalidOperationException NotSerializable(Type type, Exception inner) => new(
        $"InProc.PostgreSql: the message of type '{type.FullName}' cannot be stored as JSON: {inner.Message} " +
        "Stored messages must round-trip through System.Text.Json on every host: use a record of plain values (ids, not entities), " +
        "or set PostgreSqlOptions.SerializerOptions with the converters it needs.",
        inner);

    public static string Describe(Exception error) => error switch
    {
        PostgresException pg => $"{pg.SqlState}: {pg.MessageText}",
        NpgsqlException npgsql => npgsql.Message,
        _ => error.GetType().Name + ": " + error.Message,
    };
}
