using InProc.Execution;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace InProc.Sqlite.Journal;

/// <summary>
/// The journal's one writer: a dedicated thread that takes every write made since its last commit and commits them
/// together (group commit: one <c>BEGIN IMMEDIATE</c> … <c>COMMIT</c>, so one fsync, for all the enqueues and state
/// changes that arrived while the previous commit was on its way to the disk). Writers never wait for each other's
/// rows, only for the commit that holds their own.
/// </summary>
internal sealed class JournalWriter : IDisposable
{
    private readonly object _gate = new();
    private readonly SqliteConnection _connection;
    private readonly JournalCommands _commands;
    private readonly JournalRows _rows;
    private readonly List<JournalOp> _inserts = [];
    private readonly List<JournalOp> _updates = [];
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly Action<Envelope> _notStored;
    private readonly int _maxBatch;
    private readonly Thread _thread;
    private List<JournalOp> _pending = [];
    private List<JournalOp> _spare = [];
    private bool _closing;
    private bool _closed;

    public JournalWriter(SqliteConnection connection, string path, int maxBatch, ILogger logger, Action<Envelope> notStored)
    {
        _connection = connection;
        _commands = new JournalCommands(connection);
        _rows = new JournalRows(connection);
        _path = path;
        _maxBatch = maxBatch;
        _logger = logger;
        _notStored = notStored;
        _thread = new Thread(Run) { IsBackground = true, Name = "InProc.Sqlite journal writer" };
    }

    /// <summary>Held while the connection is used outside the writer thread (recovery at start).</summary>
    public object ConnectionLock { get; } = new();

    /// <summary>Retention for <see cref="JournalOpKind.Prune"/>: (cutoff ticks, rows to keep, batch size, now for expired unique keys), read when it runs.</summary>
    public Func<(long CutoffTicks, int Keep, int Batch, long NowTicks)>? Retention { get; set; }

    public void Start() => _thread.Start();

    /// <summary>Adds a write to the next commit. False once the journal is closed (nothing was added).</summary>
    public bool Append(JournalOp op)
    {
        lock (_gate)
        {
            if (_closing)
            {
                return false;
            }

            _pending.Add(op);
            if (_pending.Count == 1)
            {
                Monitor.Pulse(_gate); // the writer waits only when nothing was pending
            }

            return true;
        }
    }

    /// <summary>Commits what is pending, then stops the thread. Idempotent.</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            Monitor.Pulse(_gate);
        }

        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        lock (ConnectionLock)
        {
            _closed = true;
            _commands.Dispose();
            _rows.Dispose();
        }
    }

    public void Dispose() => Close();

    private void Run()
    {
        while (true)
        {
            List<JournalOp> batch;
            lock (_gate)
            {
                while (_pending.Count == 0)
                {
                    if (_closing)
                    {
                        return;
                    }

                    Monitor.Wait(_gate);
                }

                batch = _pending;
                _pending = _spare;
            }

            for (var from = 0; from < batch.Count; from += _maxBatch)
            {
                Commit(batch, from, Math.Min(batch.Count, from + _maxBatch));
            }

            batch.Clear();
            lock (_gate)
            {
                _spare = batch;
            }
        }
    }

    private void Commit(List<JournalOp> batch, int from, int to)
    {
        Exception? failure = null;
        var pruned = 0;
        lock (ConnectionLock)
        {
            try
            {
                if (_closed)
                {
                    throw JournalErrors.Closed(_path);
                }

                using (var transaction = _connection.BeginTransaction(deferred: false)) // BEGIN IMMEDIATE
                {
                    // Inserts, then updates, then the rest in order. A job's insert and its updates are never in one commit
                    // (a job is dispatched only after its insert committed). Deletes are by id (a purge deletes the ids it took
                    // from the dead-letter list), so a job's late update and its delete give no row in either order.
                    _inserts.Clear();
                    _updates.Clear();
                    for (var i = from; i < to; i++)
                    {
                        var op = batch[i];
                        (op.Kind == JournalOpKind.Insert ? _inserts : op.Kind == JournalOpKind.Update ? _updates : null)?.Add(op);
                    }

                    _rows.Insert(_inserts, transaction);
                    foreach (var insert in _inserts)
                    {
                        if (insert.KeyType is not null)
                        {
                            _commands.ClaimKey(insert, transaction); // the key and its job: one transaction
                        }
                    }

                    _rows.Update(_updates, transaction);
                    for (var i = from; i < to; i++)
                    {
                        var op = batch[i];
                        if (op.Kind == JournalOpKind.Prune)
                        {
                            if (Retention?.Invoke() is { } retention)
                            {
                                pruned += _commands.Prune(transaction, retention.CutoffTicks, retention.Keep, retention.Batch);
                                _ = _commands.PruneKeys(transaction, retention.NowTicks, retention.Batch);
                            }
                        }
                        else if (op.Kind is not (JournalOpKind.Insert or JournalOpKind.Update))
                        {
                            _commands.Execute(op, transaction);
                        }
                    }

                    transaction.Commit();
                }
            }
#pragma warning disable CA1031 // Whatever the disk did, every waiting caller must hear of it and the writer must go on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure = ex;
            }
        }

        if (failure is null)
        {
            if (pruned > 0)
            {
                Log.Pruned(_logger, pruned, _path);
            }

            for (var i = from; i < to; i++)
            {
                batch[i].Done?.TrySetResult();
            }

            return;
        }

        var lost = 0;
        for (var i = from; i < to; i++)
        {
            var op = batch[i];
            if (op.Kind == JournalOpKind.Insert && op.Envelope is { } envelope)
            {
                _notStored(envelope);
            }

            if (op.Done is { } done)
            {
                done.TrySetException(JournalErrors.NotStored(_path, failure));
            }
            else
            {
                lost++;
            }
        }

        Log.CommitFailed(_logger, failure, _path, to - from, lost, JournalErrors.Describe(failure));
    }
}
