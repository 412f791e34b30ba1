using System.Globalization;
using System.Text;
using InProc.Store;
using Npgsql;

namespace InProc.PostgreSql.Store;

/// <summary>Registered by <c>UsePostgreSql</c>: validates the settings, migrates the schema and opens the store when the runtime is built (at host start).</summary>
internal sealed class PgStoreProvider(Func<NpgsqlDataSource> source, bool ownsSource, PostgreSqlOptions options) : IJobStoreProvider
{
    /// <summary>This provider's unique keys (one provider per service provider): registered as InProc's <c>IUniqueKeyStore</c>, in the table once the store opens.</summary>
    public PgUniqueKeyStore Keys { get; } = new();

    public IJobStore Create(JobStoreContext context)
    {
        Validate(context);
        var dataSource = source();
        try
        {
            var from = PgMigrations.EnsureAsync(dataSource, options.Schema, options.ApplyMigrations, CancellationToken.None).GetAwaiter().GetResult();
            var host = options.HostName ?? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("n")[..6]}";
            foreach (var registration in context.Registry.Values)
            {
                registration.Limits?.LeaveConcurrencyToStore(); // the claim enforces it across hosts (PgLimits)
            }

            Keys.Open(dataSource, options.Schema);
            var store = new PgJobStore(dataSource, ownsSource, options, context, host, Keys);
            Log.Opened(context.Logger, options.Schema, PgMigrations.Latest, from, host, options.UseNotifications ? "on" : "off (polling)", options.LeaseDuration);
            return store;
        }
        catch (NpgsqlException ex)
        {
            if (ownsSource)
            {
                dataSource.Dispose();
            }

            throw new InvalidOperationException($"InProc.PostgreSql could not open the schema '{options.Schema}': {PgErrors.Describe(ex)}. Check the connection string and that the server is reachable.", ex);
        }
    }

    /// <summary>Every settings error at once, naming the options type, as InProc's own validation does.</summary>
    private void Validate(JobStoreContext context)
    {
        var errors = new List<string>();
        if (PgMigrations.SchemaError(options.Schema) is { } schema)
        {
            errors.Add("Schema: " + schema);
        }

        if (options.LeaseDuration < TimeSpan.FromSeconds(1) || options.LeaseDuration > TimeSpan.FromHours(1))
        {
            errors.Add($"LeaseDuration is {options.LeaseDuration}; it must be from 00:00:01 to 01:00:00.");
        }

        if (options.HeartbeatInterval < TimeSpan.FromMilliseconds(100) || options.HeartbeatInterval > options.LeaseDuration / 2)
        {
            errors.Add($"HeartbeatInterval is {options.HeartbeatInterval}; it must be at least 00:00:00.1 and at most half of LeaseDuration ({options.LeaseDuration / 2}), so a lease is renewed before it expires.");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(10) || options.PollInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"PollInterval is {options.PollInterval}; it must be from 00:00:00.01 to 01:00:00.");
        }

        if (options.PruneBatchSize is < 1 or > 100_000)
        {
            errors.Add($"PruneBatchSize is {options.PruneBatchSize.ToString(CultureInfo.InvariantCulture)}; it must be from 1 to 100,000.");
        }

        if (options.HostName is { } name && string.IsNullOrWhiteSpace(name))
        {
            errors.Add("HostName is empty; leave it null for a generated name, or give each host its own.");
        }

        foreach (var group in context.Registry.Values.GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"the message types {string.Join(" and ", group.Select(r => r.MessageType.FullName))} share the stored name '{group.Key}'; give each its own [JobMessageName(\"...\")].");
        }

        // Not yet across hosts: refused here rather than enforced per host only, which would look like a guarantee it is not.
        foreach (var registration in context.Registry.Values.Where(r => r.Limits is not null))
        {
            var spec = registration.Limits!.Spec;
            if (spec.Rate is not null)
            {
                errors.Add($"the job for {registration.MessageType.FullName} has a RateLimit; the PostgreSQL store does not enforce rate limits across hosts yet (unique keys and concurrency limits it does), and a per-host limit would let N hosts run N times the rate. Remove RateLimit from its AddJob options (a ConcurrencyLimit bounds the load across hosts), or use the memory store or UseSqliteJournal for it.");
            }

            if (spec.Unique is { ReplaceScheduled: true })
            {
                errors.Add($"the job for {registration.MessageType.FullName} has UniqueJobOptions.ReplaceScheduled (debounce); the PostgreSQL store does not move a scheduled holder's due time yet. Set ReplaceScheduled = false (a duplicate then changes nothing), or use the memory store or UseSqliteJournal for it.");
            }
        }

        if (errors.Count > 0)
        {
            var message = new StringBuilder($"PostgreSqlOptions for the schema '{options.Schema}' are not valid:");
            foreach (var error in errors)
            {
                message.Append(' ').Append(error);
            }

            throw new InvalidOperationException(message.ToString());
        }
    }
}
