using System.Diagnostics.CodeAnalysis;
using InProc.Hosting;
using InProc.Limits;
using InProc.PostgreSql;
using InProc.PostgreSql.Store;
using InProc.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace InProc;

/// <summary>Adds the PostgreSQL store to InProc: the same jobs on many hosts.</summary>
public static class InProcPostgreSqlBuilderExtensions
{
    private const string Json = "Messages are serialized with System.Text.Json reflection unless SerializerOptions has a source-generated TypeInfoResolver.";

    /// <summary>
    /// Keeps jobs in a PostgreSQL table shared by every host that uses the same schema: an enqueue returns after its
    /// row is committed; each host's workers claim due jobs under a lease, renewed by heartbeats; a host that dies has
    /// its jobs run elsewhere once its lease expires. Delayed jobs, retries, dead letters, recurring slots and the
    /// monitor all live in the table.
    /// </summary>
    /// <remarks>
    /// Delivery is at-least-once: a job whose host died runs again (<see cref="JobContext.IsRecovery"/>), so jobs must be
    /// idempotent. Due times, leases and unique keys' expiry run on the database's clock. Unique keys and concurrency
    /// limits hold across hosts; rate limits are not enforced across hosts yet and are refused at start. Synchronous and fake mode ignore the store.
    /// </remarks>
    /// <param name="builder">The builder <c>AddInProc</c> returned.</param>
    /// <param name="connectionString">An Npgsql connection string, such as <c>"Host=db;Database=app;Username=app;Password=..."</c>.</param>
    /// <param name="configure">Sets the schema, lease, polling and notifications; <see langword="null"/> for the defaults.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or not a valid connection string.</exception>
    [RequiresUnreferencedCode(Json)]
    [RequiresDynamicCode(Json)]
    public static InProcBuilder UsePostgreSql(this InProcBuilder builder, string connectionString, Action<PostgreSqlOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionString);
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"UsePostgreSql needs a valid Npgsql connection string, such as \"Host=localhost;Database=app;Username=app\": {ex.Message}", nameof(connectionString), ex);
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException("UsePostgreSql needs a connection string, such as \"Host=localhost;Database=app;Username=app\".", nameof(connectionString));
        }

        return Use(builder, options => NpgsqlDataSource.Create(PgPreparedStatements.Apply(connectionString, options)), ownsSource: true, configure);
    }

    /// <summary>Keeps jobs in PostgreSQL through the application's own data source; see <see cref="UsePostgreSql(InProcBuilder, string, Action{PostgreSqlOptions}?)"/>.</summary>
    /// <param name="builder">The builder <c>AddInProc</c> returned.</param>
    /// <param name="dataSource">The data source to open connections from; the application keeps ownership and disposes it.</param>
    /// <param name="configure">Sets the schema, lease, polling and notifications; <see langword="null"/> for the defaults.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="dataSource"/> is <see langword="null"/>.</exception>
    [RequiresUnreferencedCode(Json)]
    [RequiresDynamicCode(Json)]
    public static InProcBuilder UsePostgreSql(this InProcBuilder builder, NpgsqlDataSource dataSource, Action<PostgreSqlOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        return Use(builder, _ => dataSource, ownsSource: false, configure);
    }

    /// <summary>
    /// Enqueues a job inside the caller's open transaction: the job exists, and runs on some host, if and only if
    /// <paramref name="transaction"/> commits (the outbox pattern, without an outbox).
    /// </summary>
    /// <typeparam name="TMessage">The message type of a job registered with <c>AddJob</c>.</typeparam>
    /// <param name="queue">InProc's queue.</param>
    /// <param name="message">The job's message.</param>
    /// <param name="transaction">An open transaction on the database and schema <c>UsePostgreSql</c> was given.</param>
    /// <param name="cancellationToken">Cancels the insert.</param>
    /// <returns>The job's id, valid once the transaction commits.</returns>
    /// <exception cref="InvalidOperationException">InProc does not use the PostgreSQL store (or runs in synchronous or fake mode).</exception>
    public static ValueTask<JobId> EnqueueAsync<TMessage>(this IJobQueue queue, TMessage message, NpgsqlTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(transaction);
        return queue is InProcRuntime runtime
            ? runtime.EnqueueInTransactionAsync(message, transaction, cancellationToken)
            : throw new InvalidOperationException("An enqueue inside a database transaction needs InProc's own IJobQueue with UsePostgreSql(...); this one is " + queue.GetType().Name + ".");
    }

    /// <summary>Keeps jobs in PostgreSQL with the default <see cref="PostgreSqlOptions"/>; see <see cref="UsePostgreSql(InProcBuilder, string, Action{PostgreSqlOptions}?)"/>.</summary>
    /// <param name="builder">The builder <c>AddInProc</c> returned.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The builder, for chaining.</returns>
    [RequiresUnreferencedCode(Json)]
    [RequiresDynamicCode(Json)]
    public static InProcBuilder UsePostgreSql(this InProcBuilder builder, string connectionString) => UsePostgreSql(builder, connectionString, null);

    /// <summary>Keeps jobs in PostgreSQL through the application's data source, with the default <see cref="PostgreSqlOptions"/>.</summary>
    /// <param name="builder">The builder <c>AddInProc</c> returned.</param>
    /// <param name="dataSource">The data source to open connections from; the application keeps ownership.</param>
    /// <returns>The builder, for chaining.</returns>
    [RequiresUnreferencedCode(Json)]
    [RequiresDynamicCode(Json)]
    public static InProcBuilder UsePostgreSql(this InProcBuilder builder, NpgsqlDataSource dataSource) => UsePostgreSql(builder, dataSource, null);

    private static InProcBuilder Use(InProcBuilder builder, Func<PostgreSqlOptions, NpgsqlDataSource> source, bool ownsSource, Action<PostgreSqlOptions>? configure)
    {
        var options = new PostgreSqlOptions();
        configure?.Invoke(options);
        builder.Services.RemoveAll<IJobStoreProvider>();
        builder.Services.RemoveAll<IUniqueKeyStore>();

        // One provider per service provider, and its unique keys with it: the keys live in the table.
        builder.Services.AddSingleton<IJobStoreProvider>(_ => new PgStoreProvider(() => source(options), ownsSource, options));
        builder.Services.AddSingleton<IUniqueKeyStore>(services =>
            services.GetRequiredService<IJobStoreProvider>() is PgStoreProvider provider ? provider.Keys : new MemoryUniqueKeyStore());
        return builder;
    }
}
