using System.Text.Json;

namespace InProc.Sqlite;

/// <summary>Settings of the SQLite journal (<c>UseSqliteJournal(path, o =&gt; ...)</c>), validated when InProc starts.</summary>
public sealed class SqliteJournalOptions
{
    /// <summary>Gets or sets how hard each commit waits for the disk.</summary>
    /// <value>
    /// <see cref="SqliteSynchronous.Full"/>: an acknowledged job survives a power loss. <see cref="SqliteSynchronous.Normal"/>
    /// survives a crash of the process only, and is faster where an fsync is slow.
    /// </value>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>Gets or sets how long a write waits for a lock SQLite reports busy before it fails.</summary>
    /// <value>5 seconds; from 0 to 10 minutes. The journal is its file's only writer, so this covers tools that read it.</value>
    public TimeSpan BusyTimeout { get; set; } = SqliteConstants.DefaultBusyTimeout;

    /// <summary>Gets or sets how many writes (enqueues and state changes) one group commit holds at most.</summary>
    /// <value>2,048; from 1 to 100,000. Concurrent enqueues wait for one commit together instead of one each.</value>
    public int MaxBatchSize { get; set; } = SqliteConstants.DefaultMaxBatchSize;

    /// <summary>Gets or sets how many finished rows one pruning transaction deletes at most.</summary>
    /// <value>1,000; from 1 to 100,000. Finished rows are kept as <see cref="InProcOptions.FinishedJobRetention"/> and <see cref="InProcOptions.FinishedJobRetentionPeriod"/> say, then pruned in batches of this size.</value>
    public int PruneBatchSize { get; set; } = SqliteConstants.DefaultPruneBatchSize;

    /// <summary>Gets or sets the System.Text.Json settings messages are stored with.</summary>
    /// <value>
    /// <see langword="null"/>: <see cref="JsonSerializerDefaults.General"/>. Set it for converters, or a source-generated
    /// <c>TypeInfoResolver</c> in a trimmed app. A message must read back as it was written: a change that stops old rows
    /// from binding sends them to the dead letters at start-up, with the reason.
    /// </value>
    public JsonSerializerOptions? SerializerOptions { get; set; }
}
