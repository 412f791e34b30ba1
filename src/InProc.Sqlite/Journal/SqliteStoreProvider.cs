using System.Globalization;
using System.Text;
using InProc.Store;

namespace InProc.Sqlite.Journal;

/// <summary>Registered by <c>UseSqliteJournal</c>: validates the settings and opens the journal when the runtime is built (at host start).</summary>
internal sealed class SqliteStoreProvider(string path, SqliteJournalOptions options) : IJobStoreProvider
{
    public string Path => path;

    public SqliteJournalOptions Options => options;

    /// <summary>This provider's unique keys (one provider per service provider): registered as InProc's <c>IUniqueKeyStore</c>, opened with the journal.</summary>
    public SqliteUniqueKeyStore Keys { get; } = new();

    public IJobStore Create(JobStoreContext context)
    {
        Validate(context);
        var file = JournalFile.Open(path, options);
        try
        {
            var store = new SqliteJobStore(file, context, options, Keys);
            Log.Opened(context.Logger, file.Path, JournalSchema.Latest, options.Synchronous);
            return store;
        }
        catch
        {
            file.Connection.Dispose();
            file.Lock.Dispose();
            throw;
        }
    }

    /// <summary>Every settings error at once, naming the options type, as InProc's own validation does.</summary>
    private void Validate(JobStoreContext context)
    {
        var errors = new List<string>();
        if (options.BusyTimeout < TimeSpan.Zero || options.BusyTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"BusyTimeout is {options.BusyTimeout}; it must be from 00:00:00 to 00:10:00.");
        }

        if (options.MaxBatchSize is < 1 or > 100_000)
        {
            errors.Add($"MaxBatchSize is {options.MaxBatchSize.ToString(CultureInfo.InvariantCulture)}; it must be from 1 to 100,000.");
        }

        if (options.PruneBatchSize is < 1 or > 100_000)
        {
            errors.Add($"PruneBatchSize is {options.PruneBatchSize.ToString(CultureInfo.InvariantCulture)}; it must be from 1 to 100,000.");
        }

        if (!Enum.IsDefined(options.Synchronous))
        {
            errors.Add($"Synchronous is {options.Synchronous}; use SqliteSynchronous.Full or SqliteSynchronous.Normal.");
        }

        // The stored name finds a row's registration at the next start: two types under one name would read each other's rows.
        foreach (var group in context.Registry.Values.GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"the message types {string.Join(" and ", group.Select(r => r.MessageType.FullName))} share the stored name '{group.Key}'; give each its own [JobMessageName(\"...\")].");
        }

        foreach (var registration in context.Registry.Values.Where(r => string.IsNullOrWhiteSpace(r.Name)))
        {
            errors.Add($"the message type {registration.MessageType.FullName} has an empty [JobMessageName]; give it a name, such as \"{registration.MessageType.Name}\".");
        }

        if (errors.Count > 0)
        {
            var message = new StringBuilder($"SqliteJournalOptions for the journal '{path}' are not valid:");
            foreach (var error in errors)
            {
                message.Append(' ').Append(error);
            }

            throw new InvalidOperationException(message.ToString());
        }
    }
}
