using System.Collections.Concurrent;
using InProc.Execution;
using InProc.Recurring;
using InProc.Store;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace InProc.PostgreSql.Store;

/// <summary>
/// The jobs table shared by every host. An add is an INSERT (with a NOTIFY) that completes after its commit; any host's
/// claimer takes due rows under a lease (<see cref="PgClaimer"/>); a claimed envelope lives in <see cref="_claimed"/>
/// until its attempt's result is written, guarded by owner and attempt (<see cref="PgCompletionWriter"/>). Jobs no host
/// holds are moved by compare-and-set on (state, attempt). Monitor reads go to the table, so any host shows all hosts.
/// </summary>
internal sealed partial class PgJobStore : IClaimingJobStore, IHostDirectory
{
    private static readonly ValueTask<bool> True = new(true);
    private static readonly ValueTask<bool> False = new(false);

    private readonly ConcurrentDictionary<JobId, Envelope> _claimed = new();
    private readonly NpgsqlDataSource _source;
    private readonly bool _ownsSource;
    private readonly PostgreSqlOptions _options;
    private readonly JobStoreContext _context;
    private readonly MessageCodec _codec;
    private readonly Dictionary<string, JobRegistration> _byName;
    private readonly PgCompletionWriter _writer;
    private readonly PgClaimer _claimer;
    private readonly PgProgressWriter _progress;
    private readonly ILogger _logger;
    private readonly PgUniqueKeyStore _keys;
    private readonly PgInsertBatcher _inserts;
    private long _lastNotify = -1_000; // never: the first add notifies (long.MinValue overflowed "now - last" and suppressed it)
    private int _handedBack;
    private int _closed;

    public PgJobStore(NpgsqlDataSource source, bool ownsSource, PostgreSqlOptions options, JobStoreContext context, string host, PgUniqueKeyStore? keys = null)
    {
        _keys = keys ?? new PgUniqueKeyStore();
        _source = source;
        _ownsSource = ownsSource;
        _options = options;
        _context = context;
        _logger = context.Logger;
        Host = host;
        Sql = new PgSql(options.Schema);
        Limits = new PgLimits(options.Schema);
        _codec = new MessageCodec(options.SerializerOptions, PgErrors.NotSerializable);
        _byName = context.Registry.Values.ToDictionary(r => r.Name, StringComparer.Ordinal);
        _writer = new PgCompletionWriter(source, Sql, host, options.Schema, _logger, context.Time);
        _claimer = new PgClaimer(this, source, options, context, _logger);
        _progress = new PgProgressWriter(this, source, context, _logger);
        if (context.Registry.Values.Any(PgLimits.ClaimedWithinLimits))
        {
            _writer.Written = SlotsFreedAsync; // a written result frees its concurrency slot in the table: claim again
        }
        RecurringState = new PgRecurringState(source, Sql);
        _inserts = new PgInsertBatcher(source, options.Schema, Sql.Channel, NotifyNow);
    }

    public string Host { get; }

    public PgSql Sql { get; }

    public PgLimits Limits { get; }

    public IRecurringStateStore RecurringState { get; }

    public int Count => _claimed.Count;

    /// <summary>Results this host computed but could not record because its lease was lost (dropped, logged).</summary>
    public int LostResults => _writer.Lost;

    /// <summary>The group commit of enqueues outside a transaction (tests read its statement count).</summary>
    internal PgInsertBatcher Inserts => _inserts;

    /// <summary>Test hook: a host that stops renewing its leases, as a frozen or partitioned one would.</summary>
    internal bool PauseHeartbeats { get => _claimer.Paused; set => _claimer.Paused = value; }

    internal IReadOnlyDictionary<string, JobRegistration> ByName => _byName;

    /// <summary>The envelopes this host holds claimed now (running, or waiting for a worker here).</summary>
    internal ICollection<Envelope> ClaimedEnvelopes => _claimed.Values;

    internal PgProgressWriter Progress => _progress;

    internal MessageCodec Codec => _codec;

    public ValueTask AddAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        if (envelope.UniqueKey is not null && _keys.TakeClaim(envelope.Id) is { } claim)
        {
            InsertClaimed(envelope, claim, cancellationToken);
            return ValueTask.CompletedTask;
        }

        return new(InsertAsync(envelope, null, cancellationToken));
    }

    public ValueTask AddInTransactionAsync(Envelope envelope, object transaction, CancellationToken cancellationToken) =>
        new(InsertAsync(envelope, Open(transaction), cancellationToken));

    public IDisposable ClaimKeysIn(object transaction) => _keys.ClaimIn(Open(transaction));

    private static NpgsqlTransaction Open(object transaction) => transaction is NpgsqlTransaction { Connection: not null } npgsql ? npgsql
        : throw new ArgumentException("EnqueueAsync(message, transaction) needs an open NpgsqlTransaction (one that has not been committed or rolled back).", nameof(transaction));

    private async Task InsertAsync(Envelope envelope, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        if (transaction is null && envelope.Registration.Limits is null)
        {
            // Group commit: concurrent enqueues share one INSERT; this one completes after its row committed.
            await _inserts.InsertAsync(new PgInsertRow(envelope.Id.ToString(), envelope.Registration.Name, envelope.Registration.QueueName,
                (short)envelope.State, envelope.Attempt, _codec.Write(envelope), DelayOf(envelope)), cancellationToken).ConfigureAwait(false);
            WakeIfScheduled(envelope);
            return;
        }

        await using var batch = InsertBatch(envelope, transaction);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (transaction is null)
        {
            WakeIfScheduled(envelope);
        }
    }

    /// <summary>
    /// A unique job whose key was claimed in a transaction of its own, still open: the row goes in it, in one commit
    /// (a failure rolls both back). Synchronous, on the thread the claim already blocked: duplicates waiting for this
    /// commit are blocked threads themselves, so it must not wait for a thread-pool thread to continue.
    /// </summary>
    private void InsertClaimed(Envelope envelope, PgUniqueKeyStore.PendingClaim claim, CancellationToken cancellationToken)
    {
        using (claim)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var batch = InsertBatch(envelope, claim.Transaction);
            PgCommands.RunEach(batch, claim.Transaction);
            claim.Transaction.Commit();
        }

        WakeIfScheduled(envelope);
    }

    private NpgsqlBatch InsertBatch(Envelope envelope, NpgsqlTransaction? transaction)
    {
        var payload = _codec.Write(envelope);
        var delay = DelayOf(envelope);
        var batch = transaction is null ? _source.CreateBatch() : new NpgsqlBatch(transaction.Connection, transaction);
        batch.BatchCommands.Add(envelope.Registration.Limits is null
            ? PgCommands.Batch(Sql.Insert, envelope.Id.ToString(), envelope.Registration.Name, envelope.Registration.QueueName, (short)envelope.State, envelope.Attempt, payload, delay)
            : Limits.Insert(envelope, payload, delay));

        // Debounced: a burst sends one wake-up; the enqueuing host's own claimer is woken directly, and polls cover the rest.
        if (transaction is not null ? _options.UseNotifications : NotifyNow())
        {
            batch.BatchCommands.Add(PgCommands.Batch("SELECT pg_notify($1, $2)", Sql.Channel, envelope.Registration.QueueName));
        }

        return batch;
    }

    /// <summary>How long from now the job is due, sent as an interval: due times run on the database's clock.</summary>
    private TimeSpan DelayOf(Envelope envelope)
    {
        var delay = envelope.DueAt is { } due ? due - _context.Time.GetUtcNow() : TimeSpan.Zero;
        return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
    }

    /// <summary>
    /// A scheduled add is not dispatched (an enqueue wakes the claimer through the dispatcher): wake this host's claimer
    /// so that it asks for the next due time again, instead of sleeping through it until its poll.
    /// </summary>
    private void WakeIfScheduled(Envelope envelope)
    {
        if (envelope.DueAt is not null)
        {
            _claimer.Wake();
        }
    }

    /// <summary>Whether an add outside a transaction sends a NOTIFY now: at most one per 5 ms.</summary>
    private bool NotifyNow()
    {
        var now = Environment.TickCount64;
        return _options.UseNotifications && now - Interlocked.Exchange(ref _lastNotify, now) >= 5;
    }

    public void Forget(Envelope envelope)
    {
        _claimed.TryRemove(envelope.Id, out _);
        PgCommands.Run(_source, Sql.Delete, envelope.Id.ToString());
    }

    public ValueTask<bool> TransitionAsync(Envelope envelope, JobTransition transition)
    {
        if (IsClaimedHere(envelope))
        {
            return TransitionClaimed(envelope, transition);
        }

        // A job no host holds (read from the table for a cancel, a run-now or a re-run): the row decides.
        var moved = PgCommands.Run(_source, Sql.Move, envelope.Id.ToString(), (short)transition.From, transition.FromAttempt, (short)transition.To, transition.ToAttempt) == 1;
        return moved && envelope.TryTransition(transition.From, transition.FromAttempt, transition.To, transition.ToAttempt) ? True : False;
    }

    private ValueTask<bool> TransitionClaimed(Envelope envelope, JobTransition transition)
    {
        if (transition.From == JobState.Enqueued && transition.To != JobState.Running)
        {
            // Claimed, not started, and it will not run (cancelled, abandoned): the row is Running under this host's lease.
            if (PgCommands.Run(_source, Sql.EndClaimed, envelope.Id.ToString(), transition.FromAttempt, (short)transition.To, Host) != 1
                || !envelope.TryTransition(transition.From, transition.FromAttempt, transition.To, transition.ToAttempt))
            {
                return False;
            }

            Release(envelope);
            return True;
        }

        if (!envelope.TryTransition(transition.From, transition.FromAttempt, transition.To, transition.ToAttempt))
        {
            return False;
        }

        if (transition.From == JobState.Running)
        {
            // The attempt's result: written by the next batch, guarded by this host's lease; a worker never waits for it.
            _writer.Add(envelope, transition, _context.Time.GetUtcNow());
            Release(envelope);
        }

        return True; // Enqueued → Running: the claim made the row Running already
    }

    public bool TryLeaveForRestart(Envelope envelope, JobTransition transition)
    {
        if (!IsClaimedHere(envelope))
        {
            return envelope.TryTransition(transition.From, transition.FromAttempt, transition.To, transition.ToAttempt);
        }

        if (!envelope.TryTransition(transition.From, transition.FromAttempt, transition.To, transition.ToAttempt))
        {
            return false;
        }

        // Not started: back as it was. Interrupted by the stop: it ran, so the next host runs attempt + 1, as after a crash.
        var ran = transition.From == JobState.Running;
        var back = PgCommands.Run(_source, Sql.HandBack, envelope.Id.ToString(), transition.FromAttempt, transition.FromAttempt + (ran ? 1 : 0), ran, Host);
        _claimed.TryRemove(envelope.Id, out _);
        Interlocked.Add(ref _handedBack, back);
        return true;
    }

    /// <summary>Nothing to bring back into this process: rows wait in the table, and an expired lease is taken over by any host.</summary>
    public IReadOnlyList<Envelope> Recover() => [];

    public void StartClaiming(IClaimSink sink)
    {
        _claimer.Start(sink);
        _progress.Start();
    }

    public void Wake() => _claimer.Wake();

    public void StopClaiming() => _claimer.StopClaiming();

    /// <summary>Waits until every result recorded so far is written (tests, and the close).</summary>
    public Task FlushAsync() => _writer.FlushAsync();

    /// <summary>A claimed row becomes this host's envelope, or, when its message cannot be read here, a dead letter that says why.</summary>
    internal Envelope? Claimed(PgRow row)
    {
        var registration = _byName[row.Type];
        if (row.Rebuild(registration, _codec, JobState.Enqueued, out var reason) is not { } envelope)
        {
            Log.RowUnreadable(_logger, row.Id, row.Type, reason!);
            PgCommands.Run(_source, Sql.Fail, row.Id, "InProc.PostgreSql.UnreadableJob", reason!, Host);
            return null;
        }

        _claimed[envelope.Id] = envelope;
        return envelope;
    }

    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
        {
            return;
        }

        _claimer.StopClaiming();
        _progress.Close();
        _inserts.Close(_options.LeaseDuration);
        _writer.Close(_options.LeaseDuration);
        _claimer.Close();
        Log.Closed(_logger, Host, Volatile.Read(ref _handedBack));
        if (_ownsSource)
        {
            _source.Dispose();
        }
    }

    /// <summary>Results were written: this host's claimer, and with notifications every host's, looks for a freed concurrency slot.</summary>
    private Task SlotsFreedAsync()
    {
        _claimer.Wake();
        return _options.UseNotifications ? PgCommands.RunAsync(_source, "SELECT pg_notify($1, '')", CancellationToken.None, Sql.Channel) : Task.CompletedTask;
    }

    /// <summary>This host claimed the job and this is its envelope (not one read from the table for a cancel or a re-run).</summary>
    private bool IsClaimedHere(Envelope envelope) => _claimed.TryGetValue(envelope.Id, out var claimed) && ReferenceEquals(claimed, envelope);

    private void Release(Envelope envelope)
    {
        _claimed.TryRemove(envelope.Id, out _);
        _claimer.Wake(); // a worker is free: claim for it
    }
}
