using Microsoft.Data.Sqlite;

namespace InProc.Sqlite.Journal;

/// <summary>One row of <c>jobs</c> as recovery reads it.</summary>
internal sealed record StoredRow(
    string Id,
    string Type,
    string Queue,
    byte[] Payload,
    JobState State,
    int Attempt,
    long CreatedAt,
    long DueAt,
    long StartedAt,
    long FinishedAt,
    string? ErrorType,
    string? Error,
    string? ErrorStack,
    string? Failures,
    bool Recovered)
{
    public const string Columns = "id, type, queue, payload, state, attempt, created_at, due_at, started_at, finished_at, error_type, error, error_stack, failures, recovered";

    public static List<StoredRow> ReadAll(SqliteConnection connection, SqliteTransaction transaction, string where, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM jobs {where}";
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<StoredRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new StoredRow(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                (byte[])reader.GetValue(3),
                (JobState)reader.GetInt32(4),
                reader.GetInt32(5),
                reader.GetInt64(6),
                Long(reader, 7),
                Long(reader, 8),
                Long(reader, 9),
                Text(reader, 10),
                Text(reader, 11),
                Text(reader, 12),
                Text(reader, 13),
                reader.GetInt64(14) != 0));
        }

        return rows;
    }

    public static DateTimeOffset? Time(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);

    private static long Long(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? 0 : reader.GetInt64(i);

    private static string? Text(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
