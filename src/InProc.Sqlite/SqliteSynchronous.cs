namespace InProc.Sqlite;

/// <summary>How hard each journal commit waits for the disk (SQLite's <c>PRAGMA synchronous</c> in WAL mode).</summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// Every commit is flushed to the disk before <c>EnqueueAsync</c> returns: an acknowledged job survives a process
    /// crash and a power loss or kernel panic. The default.
    /// </summary>
    Full = 0,

    /// <summary>
    /// Commits reach the operating system before <c>EnqueueAsync</c> returns and the disk at the next checkpoint: an
    /// acknowledged job survives a process crash or <c>kill -9</c>, but the last commits before a power loss or kernel
    /// panic can be lost. Faster where an fsync is slow.
    /// </summary>
    Normal = 1,
}
