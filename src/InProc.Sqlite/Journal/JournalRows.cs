using System.Text;
using Microsoft.Data.Sqlite;

namespace InProc.Sqlite.Journal;

/// <summary>
/// Many rows per statement: a group commit's inserts go in multi-row <c>INSERT … VALUES (…), (…)</c> and its updates,
/// one per job (the latest wins: a job that started and finished within one commit writes only its end), in
/// <c>UPDATE … FROM (VALUES …)</c>. A statement's cost (step, reset, reader) is paid per chunk instead of per row.
/// Statements are prepared once per chunk size (powers of two up to <see cref="MaxChunk"/>).
/// </summary>
internal sealed class JournalRows(SqliteConnection connection) : IDisposable
{
    private const int MaxChunk = 32;
    private const int InsertColumns = 8;
    private const int UpdateColumns = 10;

    private readonly Dictionary<int, (SqliteCommand Command, SqliteParameter[] Parameters)> _inserts = [];
    private readonly Dictionary<int, (SqliteCommand Command, SqliteParameter[] Parameters)> _updates = [];
    private readonly Dictionary<string, int> _latest = new(StringComparer.Ordinal);
    private readonly List<JournalOp> _updateRows = [];

    public void Insert(List<JournalOp> rows, SqliteTransaction transaction)
    {
        Chunked(rows, transaction, _inserts, InsertColumns, InsertSql, static (p, op) =>
        {
            p[0].Value = op.Id;
            p[1].Value = op.Type;
            p[2].Value = op.Queue;
            p[3].Value = op.Payload;
            p[4].Value = op.State;
            p[5].Value = op.Attempt;
            p[6].Value = op.CreatedAt;
            p[7].Value = Ticks(op.DueAt);
        });
    }

    /// <summary>Writes each job's latest update (in append order, so the latest is the last); a failure history carries over.</summary>
    public void Update(List<JournalOp> updates, SqliteTransaction transaction)
    {
        _latest.Clear();
        _updateRows.Clear();
        foreach (var op in updates)
        {
            if (_latest.TryGetValue(op.Id, out var at))
            {
                op.Failures ??= _updateRows[at].Failures; // a success after a retry keeps the history written with the retry
                _updateRows[at] = op;
            }
            else
            {
                _latest[op.Id] = _updateRows.Count;
                _updateRows.Add(op);
            }
        }

        Chunked(_updateRows, transaction, _updates, UpdateColumns, UpdateSql, static (p, op) =>
        {
            p[0].Value = op.Id;
            p[1].Value = op.State;
            p[2].Value = op.Attempt;
            p[3].Value = Ticks(op.DueAt);
            p[4].Value = Ticks(op.StartedAt);
            p[5].Value = Ticks(op.FinishedAt);
            p[6].Value = (object?)op.ErrorType ?? DBNull.Value;
            p[7].Value = (object?)op.Error ?? DBNull.Value;
            p[8].Value = (object?)op.ErrorStack ?? DBNull.Value;
            p[9].Value = (object?)op.Failures ?? DBNull.Value;
        });
    }

    public void Dispose()
    {
        foreach (var (command, _) in _inserts.Values.Concat(_updates.Values))
        {
            command.Dispose();
        }
    }

    private static object Ticks(long ticks) => ticks == 0 ? DBNull.Value : ticks;

    private static string InsertSql(int rows) =>
        "INSERT INTO jobs (id, type, queue, payload, state, attempt, created_at, due_at) VALUES " + Values(rows, InsertColumns);

    private static string UpdateSql(int rows) =>
        "UPDATE jobs SET state = v.column2, attempt = v.column3, due_at = v.column4, started_at = v.column5, finished_at = v.column6, " +
        "error_type = v.column7, error = v.column8, error_stack = v.column9, failures = coalesce(v.column10, jobs.failures), recovered = 0 " +
        "FROM (VALUES " + Values(rows, UpdateColumns) + ") AS v WHERE jobs.id = v.column1";

    private static string Values(int rows, int columns)
    {
        var sql = new StringBuilder();
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < columns; column++)
            {
                sql.Append(column == 0 ? "" : ", ").Append("$p").Append(row * columns + column);
            }

            sql.Append(')');
        }

        return sql.ToString();
    }

    private void Chunked(
        List<JournalOp> rows,
        SqliteTransaction transaction,
        Dictionary<int, (SqliteCommand Command, SqliteParameter[] Parameters)> cache,
        int columns,
        Func<int, string> sql,
        Action<ArraySegment<SqliteParameter>, JournalOp> bind)
    {
        var at = 0;
        while (at < rows.Count)
        {
            // The largest power of two that fits what is left: at most log2(MaxChunk) + 1 statements of each kind.
            var size = MaxChunk;
            while (size > rows.Count - at)
            {
                size /= 2;
            }

            if (!cache.TryGetValue(size, out var prepared))
            {
                var created = connection.CreateCommand();
                created.CommandText = sql(size);
                var parameters = new SqliteParameter[size * columns];
                for (var i = 0; i < parameters.Length; i++)
                {
                    parameters[i] = created.Parameters.Add(new SqliteParameter { ParameterName = "$p" + i });
                }

                cache[size] = prepared = (created, parameters);
            }

            var (command, values) = prepared;
            command.Transaction = transaction;
            for (var row = 0; row < size; row++)
            {
                bind(new ArraySegment<SqliteParameter>(values, row * columns, columns), rows[at + row]);
            }

            command.ExecuteNonQuery();
            at += size;
        }
    }
}
