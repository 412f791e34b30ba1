using InProc.Execution;
using Npgsql;

namespace InProc.PostgreSql.Store;

/// <summary>
/// Unique keys and concurrency limits in the shared table (schema v3). A job of a registration with limits is inserted
/// with its unique scope (when it holds a key: the <c>jobs_unique_ends</c> trigger releases the key in the statement
/// that ends its scope) and its concurrency key and limit. Concurrency is enforced by the claim, across hosts:
/// <c>claim_limited</c> (see PgMigrations v3) takes a due row only if, under a transaction-level advisory lock on its
/// key, fewer than the limit rows of that key are Running. The lock serializes claims of one key across hosts until the
/// claim commits, and the count, a statement of its own taken after the lock, sees every claim committed before it; the
/// lock is only tried (a key another claimer holds is passed this round), so claimers never wait on each other and
/// cannot deadlock. No counter is kept: "running" is the rows in state Running, so every transition that leaves it
/// (a result, a hand-back, a lease taken over, a cancel) frees the slot in its own statement, and a crashed host's
/// jobs hold their slots until their lease is taken over, as they may still be running.
/// </summary>
internal sealed class PgLimits
{
    private readonly string _insert;

    public PgLimits(string schema)
    {
        _insert = $"INSERT INTO {schema}.jobs (id, type, queue, state, attempt, payload, created_at, due_at, unique_scope, limit_key, limit_count) VALUES ($1, $2, $3, $4, $5, $6, now(), now() + $7, $8, $9, $10)";
        Claim = $"SELECT {PgSql.Columns} FROM {schema}.claim_limited($1, $2, $3, $4, $5)";
        SweepKeys = $"DELETE FROM {schema}.unique_keys WHERE ctid = ANY(ARRAY(SELECT ctid FROM {schema}.unique_keys WHERE expires_at <= now() LIMIT $1))";
    }

    /// <summary>Claims due rows of concurrency-limited types, within their limits (parameters as <see cref="PgSql.Claim"/>).</summary>
    public string Claim { get; }

    /// <summary>Expired keys (a window's, or one whose job outlived its time-to-live), a bounded batch at a time.</summary>
    public string SweepKeys { get; }

    /// <summary>True when a job of <paramref name="registration"/> is claimed by <see cref="Claim"/> (it has a concurrency limit).</summary>
    public static bool ClaimedWithinLimits(JobRegistration registration) => registration.Limits is { ConcurrencyInStore: true };

    /// <summary>The insert of a job whose registration has limits: with its unique scope and its concurrency key and limit.</summary>
    public NpgsqlBatchCommand Insert(Envelope envelope, byte[] payload, TimeSpan delay)
    {
        var registration = envelope.Registration;
        var limits = registration.Limits!;
        short? scope = envelope.Limits is { Unique: not null } held ? (short)held.Scope : null;
        string? key = null;
        int? count = null;
        if (limits.ConcurrencyInStore && TryConcurrencyKey(envelope, limits, out var read))
        {
            (key, count) = (read, limits.Spec.Concurrency);
        }

        return PgCommands.Batch(_insert, envelope.Id.ToString(), registration.Name, registration.QueueName,
            (short)envelope.State, envelope.Attempt, payload, delay, scope, key, count);
    }

    /// <summary>
    /// The key the claim counts by. A selector that fails leaves the row without one: it is claimed like a plain job, and
    /// the key read before its attempt fails it for good (as InProc does without this store), saying which selector failed.
    /// </summary>
    private static bool TryConcurrencyKey(Envelope envelope, Limits.RegistrationLimits limits, out string? key)
    {
        try
        {
            key = limits.Spec.ConcurrencyKeyOf(envelope.Message!);
            return true;
        }
        catch (InvalidOperationException)
        {
            key = null;
            return false;
        }
    }
}
