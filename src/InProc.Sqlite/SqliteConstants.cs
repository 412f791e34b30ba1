namespace InProc.Sqlite;

internal static class SqliteConstants
{
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Rows per group commit at most: a burst of enqueues shares commits of this size.</summary>
    public const int DefaultMaxBatchSize = 2_048;

    /// <summary>Finished rows deleted per pruning transaction: a backlog of a million is pruned without one long lock.</summary>
    public const int DefaultPruneBatchSize = 1_000;

    /// <summary>How often the writer looks for finished rows to prune.</summary>
    public static readonly TimeSpan PruneInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A job found running at start more than this many attempts past its policy's limit has been killing the
    /// process (a crash loop): it goes to the dead letters instead of running again.
    /// </summary>
    public const int MaxCrashReruns = 3;

    public const string LockSuffix = ".lock";

    public const string OwnerSuffix = ".owner";
}
