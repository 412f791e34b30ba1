using System.Diagnostics.CodeAnalysis;
using InProc.Limits;
using InProc.Sqlite;
using InProc.Sqlite.Journal;
using InProc.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace InProc;

/// <summary>Adds the SQLite journal to InProc.</summary>
public static class InProcSqliteBuilderExtensions
{
    /// <summary>
    /// Journals every job to a SQLite file, so a restart, a crash or <c>kill -9</c> loses no acknowledged job:
    /// <see cref="IJobQueue.EnqueueAsync{TMessage}"/> returns after the commit that holds the job; at the next start
    /// queued, scheduled and retrying jobs come back, and jobs that were running run again (<see cref="JobContext.IsRecovery"/>).
    /// Workers are still fed from memory: the file is a write-ahead record, never polled.
    /// </summary>
    /// <remarks>
    /// Delivery is at-least-once: a job interrupted by a crash runs again, so jobs must be idempotent. The file is
    /// this process's alone (a lock file beside it refuses a second process). Messages are stored as JSON (System.Text.Json)
    /// under their type's stable name (<see cref="JobMessageNameAttribute"/>, else the CLR full name). Synchronous and
    /// fake mode ignore the journal: tests run in memory.
    /// </remarks>
    /// <param name="builder">The builder <c>AddInProc</c> returned.</param>
    /// <param name="path">The database file, such as <c>"jobs.db"</c> (relative to the working directory). Its directory must exist and be writable.</param>
    /// <param name="configure">Sets durability, batching, pruning and JSON settings; <see langword="null"/> for the defaults.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or white space.</exception>
    [RequiresUnreferencedCode("Messages are serialized with System.Text.Json reflection unless SerializerOptions has a source-generated TypeInfoResolver.")]
    [RequiresDynamicCode("Messages are serialized with System.Text.Json reflection unless SerializerOptions has a source-generated TypeInfoResolver.")]
    public static InProcBuilder UseSqliteJournal(this InProcBuilder builder, string path, Action<SqliteJournalOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("UseSqliteJournal needs the path of the database file, such as \"jobs.db\" or \"/data/jobs.db\".", nameof(path));
        }

        var options = new SqliteJournalOptions();
        configure?.Invoke(options);
        builder.Services.RemoveAll<IJobStoreProvider>();
        builder.Services.RemoveAll<IUniqueKeyStore>();

        // One provider per service provider, and its unique keys with it: the keys live in the journal's file.
        builder.Services.AddSingleton<IJobStoreProvider>(_ => new SqliteStoreProvider(path, options));
        builder.Services.AddSingleton<IUniqueKeyStore>(services =>
            services.GetRequiredService<IJobStoreProvider>() is SqliteStoreProvider provider ? provider.Keys : new MemoryUniqueKeyStore());
        builder.Services.TryAddTransient<IJob<UnreadableJob>, UnreadableJobRunner>();
        return builder;
    }
}
