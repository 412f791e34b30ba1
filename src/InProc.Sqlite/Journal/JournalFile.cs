using Microsoft.Data.Sqlite;

namespace InProc.Sqlite.Journal;

/// <summary>
/// Opening a journal, in the order that makes every failure a clear start-up error: the lock (one owner), the
/// connection (WAL, synchronous, busy timeout), then the schema (version table, forward migrations). Whatever fails
/// releases what was taken.
/// </summary>
internal sealed class JournalFile
{
    private JournalFile(string path, JournalLock held, SqliteConnection connection)
    {
        Path = path;
        Lock = held;
        Connection = connection;
    }

    public string Path { get; }

    public JournalLock Lock { get; }

    public SqliteConnection Connection { get; }

    public static JournalFile Open(string path, SqliteJournalOptions options)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw new InvalidOperationException($"InProc.Sqlite: the journal path '{fullPath}' is a directory. Pass the path of a file in it, such as \"{System.IO.Path.Combine(path, "jobs.db")}\".");
        }

        var held = JournalLock.Acquire(fullPath);
        SqliteConnection? connection = null;
        try
        {
            connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = fullPath,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false, // closing must release the file: a restart in the same process reopens it
                DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
            }.ToString());
            connection.Open();
            Pragma(connection, $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}");
            var mode = Scalar(connection, "PRAGMA journal_mode = WAL");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"InProc.Sqlite: the journal '{fullPath}' cannot use write-ahead logging (journal_mode is '{mode}'). Put it on a local disk: WAL does not work on network file systems.");
            }

            Pragma(connection, options.Synchronous == SqliteSynchronous.Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            JournalSchema.Migrate(connection, fullPath);
            return new JournalFile(fullPath, held, connection);
        }
        catch (Exception ex) when (ex is SqliteException)
        {
            connection?.Dispose();
            held.Dispose();
            throw JournalErrors.Open(fullPath, ex);
        }
        catch
        {
            connection?.Dispose();
            held.Dispose();
            throw;
        }
    }

    private static void Pragma(SqliteConnection connection, string sql) => JournalSchema.Execute(connection, sql);

    private static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }
}
