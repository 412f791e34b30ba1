using InProc.Execution;
using InProc.Recurring;
using InProc.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace InProc.Sqlite.Journal;

/// <summary>
/// The journal's store: the memory store holds the live state (index, finished ring, dead letters) and answers
/// every read at memory speed; each change is also appended to the journal. Only an add waits for its commit (the
/// promise: <c>EnqueueAsync</c> returns once the job is on disk); a transition is applied in memory at once and written
/// by the next group commit, so a worker never waits for the disk. A transition lost in a crash leaves the row in its
/// previous state: the job runs again after the restart (at-least-once), it is never lost.
/// </summary>
internal sealed class SqliteJobStore : IDurableJobStore
{
    private static readonly ValueTask<bool> True = new(true);
    private static readonly ValueTask<bool> False = new(false);

    // A job's compare-and-set and its journal append happen under its stripe's lock, so two threads moving the same job
    // (a worker and a cancel, the scheduler and a worker) append in the order their compare-and-sets succeeded.
    private readonly object[] _stripes = [.. Enumerable.Range(0, 64).Select(_ => new object())];
    private readonly MemoryJobStore _memory;
    private readonly JournalWriter _writer;
    private readonly MessageCodec _codec;
    private readonly JournalRecovery _recovery;
    private readonly SqliteConnection _connection;
    private readonly JournalLock _lock;
    private readonly ILogger _logger;
    private readonly ITimer _pruneTimer;
    private readonly SqliteUniqueKeyStore _keys;
    private int _closed;

    public SqliteJobStore(JournalFile file, JobStoreContext context, SqliteJournalOptions options, SqliteUniqueKeyStore keys)
    {
        var o = context.Options;
        Path = file.Path;
        _connection = file.Connection;
        _lock = file.Lock;
        _logger = context.Logger;
        _memory = MemoryJobStore.For(o);
        _codec = new MessageCodec(options.SerializerOptions, JournalErrors.NotSerializable);
        _writer = new JournalWriter(_connection, Path, options.MaxBatchSize, _logger, envelope => _memory.Forget(envelope))
        {
            Retention = () =>
            {
                var now = context.Time.GetUtcNow().UtcTicks;
                return (now - o.FinishedJobRetentionPeriod.Ticks, o.FinishedJobRetention, options.PruneBatchSize, now);
            },
        };
        RecurringState = new SqliteRecurringStateStore(_writer, JournalRecovery.ReadSlots(_connection));
        _keys = keys;
        var swept = keys.Open(_connection, _writer, context.Time.GetUtcNow().UtcTicks);
        if (swept > 0)
        {
            Log.KeysSwept(_logger, swept, Path);
        }

        _recovery = new JournalRecovery(_connection, _writer.ConnectionLock, Path, _memory, _codec, context, _logger) { Keys = keys };
        _writer.Start();
        _pruneTimer = context.Time.CreateTimer(static state => ((SqliteJobStore)state!).Prune(), this, SqliteConstants.PruneInterval, SqliteConstants.PruneInterval);
    }

    public string Path { get; }

    public IRecurringStateStore RecurringState { get; }

    public int Count => _memory.Count;

    public ValueTask AddAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        // Written before anything is indexed: a message that cannot be stored fails the enqueue and leaves nothing behind.
        var op = JournalOp.Insert(envelope, _codec.Write(envelope));
        if (envelope.Limits is { Unique: { } key } state && _keys.TryGetExpiry(key, envelope.Id, out var expires))
        {
            (op.KeyType, op.KeyValue, op.KeyExpires, op.KeyScope) = (key.JobType, key.Value, expires, (int)state.Scope);
        }
        _ = _memory.AddAsync(envelope, cancellationToken); // completes synchronously
        if (!_writer.Append(op))
        {
            _memory.Forget(envelope);
            throw JournalErrors.Closed(Path);
        }

        // The commit, not the caller's token, decides: once appended, the row is written whether the caller waits or not.
        return envelope.UniqueKey is null ? new ValueTask(op.Done!.Task) : StoredAsync(op.Done!.Task, envelope.Id);
    }

    /// <summary>A unique job's commit: duplicates that waited for it are told it exists (a refusal reaches them through the release).</summary>
    private async ValueTask StoredAsync(Task committed, JobId id)
    {
        await committed.ConfigureAwait(false);
        _keys.Stored(id);
    }

    public void Forget(Envelope envelope)
    {
        _memory.Forget(envelope);
        _writer.Append(JournalOp.Delete(envelope.Id));
    }

    public ValueTask<bool> TransitionAsync(Envelope envelope, JobTransition transition)
    {
        lock (StripeOf(envelope.Id))
        {
            if (!_memory.TransitionAsync(envelope, transition).Result)
            {
                return False;
            }

            _writer.Append(JournalOp.Update(envelope, transition.To, transition.ToAttempt));
        }

        return True;
    }

    public bool TryLeaveForRestart(Envelope envelope, JobTransition transition)
    {
        lock (StripeOf(envelope.Id))
        {
            if (!_memory.TransitionAsync(envelope, transition).Result)
            {
                return false; // memory only: the row keeps its last state
            }
        }

        if (envelope.UniqueKey is not null)
        {
            _keys.KeepOnDisk(envelope.Id); // so does its key: the release the stop's Abandoned makes is memory only
        }

        return true;
    }

    public IReadOnlyList<Envelope> Recover() => _recovery.Run();

    public Envelope? FindActive(JobId id) => _memory.FindActive(id);

    public JobSnapshot? Find(JobId id, DateTimeOffset now) => _memory.Find(id, now);

    public JobDetail? FindDetail(JobId id, DateTimeOffset now) => _memory.FindDetail(id, now);

    public JobPage Query(JobQuery query, DateTimeOffset now) => _memory.Query(query, now);

    public DeadLetter? AddDeadLetter(Envelope envelope, DeadLetter letter)
    {
        var dropped = _memory.AddDeadLetter(envelope, letter);
        if (dropped is not null && dropped.Id != letter.Id)
        {
            _writer.Append(JournalOp.Delete(dropped.Id)); // pushed out of a full list: gone here, so gone from the file too
        }

        return dropped;
    }

    public Envelope? TakeDeadLetter(JobId id) => _memory.TakeDeadLetter(id);

    public IReadOnlyList<DeadLetter> GetDeadLetters() => _memory.GetDeadLetters();

    public int PurgeDeadLetters()
    {
        // By id, not "every Failed row": a job is listed as a dead letter a moment before its Failed write is appended,
        // and a purge in that moment must delete its row too (the late Failed update then finds no row).
        var purged = new List<JobId>();
        var count = _memory.PurgeDeadLetters(purged);
        foreach (var id in purged)
        {
            _writer.Append(JournalOp.Delete(id));
        }

        return count;
    }

    /// <summary>Waits for every write appended so far to be committed (tests, and the close).</summary>
    public Task FlushAsync()
    {
        var op = JournalOp.Signal(JournalOpKind.Flush);
        return _writer.Append(op) ? op.Done!.Task : Task.CompletedTask;
    }

    /// <summary>Runs a statement on the writer's connection between commits: for tests' fault injection (e.g. <c>PRAGMA max_page_count</c>).</summary>
    internal void ExecuteBetweenCommits(string sql)
    {
        lock (_writer.ConnectionLock)
        {
            JournalSchema.Execute(_connection, sql);
        }
    }

    /// <summary>
    /// Tests: a thread of its own holds the writer's connection, so no commit starts, until <paramref name="release"/>
    /// completes; then runs the statement it gives (if any) on that connection. The returned task completes once held.
    /// </summary>
    internal Task HoldCommits(Task<string?> release)
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            lock (_writer.ConnectionLock)
            {
                held.SetResult();
                if (release.GetAwaiter().GetResult() is { } sql)
                {
                    JournalSchema.Execute(_connection, sql);
                }
            }
        })
        { IsBackground = true, Name = "InProc.Sqlite test commit hold" };
        thread.Start();
        return held.Task;
    }

    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
        {
            return;
        }

        _pruneTimer.Dispose();
        _writer.Close();
        _connection.Dispose();
        _lock.Dispose();
        Log.Closed(_logger, Path);
    }

    private void Prune() => _writer.Append(new JournalOp { Kind = JournalOpKind.Prune });

    private object StripeOf(JobId id) => _stripes[id.GetHashCode() & (_stripes.Length - 1)];
}
