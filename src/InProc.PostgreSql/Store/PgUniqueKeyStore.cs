using System.Collections.Concurrent;
using InProc.Limits;
using Npgsql;

namespace InProc.PostgreSql.Store;

/// <summary>
/// Unique keys across hosts: one <c>unique_keys</c> row per (type, key), its primary key the one arbiter. A claim opens
/// a transaction, deletes the key's row if it has expired (database clock), then <c>INSERT … ON CONFLICT DO NOTHING</c>:
/// while another host's claim of the key is uncommitted, that insert waits for it, so a duplicate is only ever told the
/// id of a committed holder (then read with a <c>SELECT</c>), never of a job whose insert may yet fail. A won claim keeps
/// its transaction open until <see cref="PgJobStore"/> inserts the job's row in it and commits (<see cref="TakeClaim"/>):
/// the key and its job reach the table together or not at all. The transactional enqueue claims in the caller's
/// transaction instead (<see cref="ClaimIn"/>). Keys are released by the database, in the statement that ends their
/// scope (the <c>jobs_unique_ends</c> trigger: final states, or the first start for UntilStarted); expired keys are
/// replaced by the next claim and swept in bounded batches. Until the store is opened (synchronous and fake mode never
/// open it) keys are held in memory, as InProc's own store holds them.
/// </summary>
internal sealed class PgUniqueKeyStore : IUniqueKeyStore
{
    [ThreadStatic]
    private static (PgUniqueKeyStore Store, NpgsqlTransaction Transaction)? t_enlisted;

    private readonly MemoryUniqueKeyStore _memory = new();
    private readonly ConcurrentDictionary<JobId, PendingClaim> _pending = new();
    private NpgsqlDataSource? _source;
    private string _schema = "";

    public int Count
    {
        get
        {
            if (_source is null)
            {
                return _memory.Count;
            }

            using var command = PgCommands.Command(_source, $"SELECT count(*) FROM {_schema}.unique_keys");
            return (int)(long)command.ExecuteScalar()!;
        }
    }

    /// <summary>From now on keys live in <paramref name="schema"/>'s table (the store was created for a hosted runtime).</summary>
    public void Open(NpgsqlDataSource source, string schema)
    {
        _schema = schema;
        _source = source;
    }

    /// <summary>Claims this thread makes until the result is disposed are made in <paramref name="transaction"/>.</summary>
    public IDisposable ClaimIn(NpgsqlTransaction transaction)
    {
        t_enlisted = (this, transaction);
        return new Enlistment();
    }

    public ValueTask<UniqueClaim> TryClaimAsync(UniqueKey key, JobId holder, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        if (_source is not { } source)
        {
            return _memory.TryClaimAsync(key, holder, expiresAt, now);
        }

        var timeToLive = expiresAt - now; // counted on the database's clock, as due times and leases are
        if (t_enlisted is { } enlisted && ReferenceEquals(enlisted.Store, this))
        {
            return new ValueTask<UniqueClaim>(Claim(enlisted.Transaction, key, holder, timeToLive));
        }

        // The admission that calls this blocks already (it cannot await): the claim runs synchronously.
        NpgsqlConnection? connection = source.OpenConnection();
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = connection.BeginTransaction();
            var claim = Claim(transaction, key, holder, timeToLive);
            if (claim.Claimed)
            {
                _pending[holder] = new PendingClaim(connection, transaction); // the job's insert commits it
                (connection, transaction) = (null, null);
            }

            return new ValueTask<UniqueClaim>(claim);
        }
        finally
        {
            transaction?.Dispose(); // a duplicate: nothing was written
            connection?.Dispose();
        }
    }

    /// <summary>The open claim of <paramref name="holder"/>'s key, for its job's insert to commit; null when it has none.</summary>
    public PendingClaim? TakeClaim(JobId holder) => _pending.TryRemove(holder, out var claim) ? claim : null;

    /// <summary>
    /// Only a claim whose job was never inserted is released here (its transaction rolls back). A stored job's key is
    /// released by the database with the transition that ends its scope, and kept by a job left for another host.
    /// </summary>
    public void Release(UniqueKey key, JobId holder)
    {
        if (_source is null)
        {
            _memory.Release(key, holder);
            return;
        }

        TakeClaim(holder)?.Dispose();
    }

    private UniqueClaim Claim(NpgsqlTransaction transaction, UniqueKey key, JobId holder, TimeSpan timeToLive)
    {
        while (true)
        {
            // Single statements, not a batch (PgCommands.RunEach says why): the claim blocks its thread.
            using (var expired = PgCommands.Command(transaction, $"DELETE FROM {_schema}.unique_keys WHERE type = $1 AND key = $2 AND expires_at <= clock_timestamp()", key.JobType, key.Value))
            {
                expired.ExecuteNonQuery();
            }

            using (var insert = PgCommands.Command(transaction,
                $"INSERT INTO {_schema}.unique_keys (type, key, job_id, expires_at) VALUES ($1, $2, $3, clock_timestamp() + $4) ON CONFLICT DO NOTHING RETURNING job_id",
                key.JobType, key.Value, holder.ToString(), timeToLive))
            {
                if (insert.ExecuteScalar() is string)
                {
                    return UniqueClaim.Won;
                }
            }

            // A new statement, so a new snapshot: it sees the holder whose commit the insert waited for.
            using var read = PgCommands.Command(transaction, $"SELECT job_id FROM {_schema}.unique_keys WHERE type = $1 AND key = $2", key.JobType, key.Value);
            if (read.ExecuteScalar() is string id)
            {
                return UniqueClaim.HeldBy(JobId.Parse(id));
            }

            // Released between the two statements: claim again.
        }
    }

    /// <summary>A won claim not committed yet: its connection and transaction, disposed (rolled back) unless the insert commits.</summary>
    internal sealed class PendingClaim(NpgsqlConnection connection, NpgsqlTransaction transaction) : IDisposable, IAsyncDisposable
    {
        public NpgsqlConnection Connection => connection;

        public NpgsqlTransaction Transaction => transaction;

        public void Dispose()
        {
            try
            {
                transaction.Dispose();
                connection.Dispose();
            }
#pragma warning disable CA1031 // A release never throws (the contract): a broken connection has rolled the claim back already.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class Enlistment : IDisposable
    {
        public void Dispose() => t_enlisted = null;
    }
}
