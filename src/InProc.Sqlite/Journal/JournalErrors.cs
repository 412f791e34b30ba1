using Microsoft.Data.Sqlite;

namespace InProc.Sqlite.Journal;

/// <summary>The journal's own error messages: what went wrong with which file, and what to do about it.</summary>
internal static class JournalErrors
{
    private const int SqliteFull = 13;
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;
    private const int SqliteReadOnly = 8;
    private const int SqliteCantOpen = 14;
    private const int SqlitePermission = 3;
    private const int SqliteIoError = 10;

    public static InvalidOperationException Owned(string path, string? owner, Exception inner) => new(
        $"InProc.Sqlite: the journal '{path}' is in use by another process ({(owner is null ? "its id is unknown" : "process " + owner)}). " +
        "One process owns a journal, so two processes never run the same jobs. Stop the other process, or give this one a file of its own.",
        inner);

    public static InvalidOperationException NotWritable(string path, string file, Exception inner) => new(
        $"InProc.Sqlite: cannot write '{file}' beside the journal '{path}': {inner.Message} " +
        "The journal needs write access to its directory (the database, its -wal and -shm files, and the lock file live there). " +
        "Point UseSqliteJournal at a writable path, such as a mounted volume.",
        inner);

    public static InvalidOperationException NoDirectory(string path, Exception inner) => new(
        $"InProc.Sqlite: the directory of the journal '{path}' does not exist. Create it, or point UseSqliteJournal at an existing directory.",
        inner);

    public static InvalidOperationException Open(string path, Exception inner) => new(
        $"InProc.Sqlite: cannot open the journal '{path}': {Describe(inner)}",
        inner);

    public static InvalidOperationException NewerSchema(string path, long found, int known) => new(
        $"InProc.Sqlite: the journal '{path}' has schema version {found}, written by a newer InProc.Sqlite; this one knows versions up to {known}. " +
        "Upgrade the package, or point UseSqliteJournal at another file.");

    public static InvalidOperationException NotStored(string path, Exception inner) => new(
        $"InProc.Sqlite: the job was not stored, so it was not enqueued: writing the journal '{path}' failed: {Describe(inner)}",
        inner);

    public static InvalidOperationException Closed(string path) => new(
        $"InProc.Sqlite: the journal '{path}' is closed (InProc has stopped), so the job was not stored.");

    public static InvalidOperationException NotSerializable(Type type, Exception inner) => new(
        $"InProc.Sqlite: the message of type '{type.FullName}' cannot be stored as JSON: {inner.Message} " +
        "Journaled messages must round-trip through System.Text.Json: use a record of plain values (ids, not entities), " +
        "or set SqliteJournalOptions.SerializerOptions with the converters it needs.",
        inner);

    public static string Describe(Exception error) => error is SqliteException sqlite
        ? (sqlite.SqliteErrorCode & 0xFF) switch
        {
            SqliteFull => $"the disk is full ({sqlite.Message}). Free space on the volume; no job is acknowledged until it is stored.",
            SqliteCorrupt or SqliteNotADatabase => $"the file is not a SQLite database or is damaged ({sqlite.Message}). Restore it from a backup, or move it aside to start with an empty journal (the jobs in it are then lost).",
            SqliteReadOnly or SqliteCantOpen or SqlitePermission => $"the file or its directory is not writable ({sqlite.Message}). The journal needs write access to both.",
            SqliteIoError => $"a disk I/O error ({sqlite.Message}). Check the volume.",
            _ => sqlite.Message,
        }
        : error.Message;
}
