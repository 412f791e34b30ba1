using System.Threading.Channels;
using Npgsql;

namespace InProc.PostgreSql.Store;

/// <summary>
/// Group commit for the enqueues outside a caller's transaction: the rows that wait while an INSERT is in flight go
/// together into the next one (one multi-row INSERT from arrays, with the NOTIFY in the same round trip), and each
/// <c>EnqueueAsync</c> completes only after the statement that holds its row committed. Nothing waits to fill a
/// batch: a lone caller pays one round trip, as before; concurrent callers share them. At most <see cref="Writers"/>
/// statements are in flight.
/// </summary>
/// <remarks>
/// A batch the server refuses (a constraint, bad data: a <see cref="PostgresException"/>) was rolled back whole, so its
/// rows are written again one by one: only the caller whose row is at fault gets the error, the others their commit.
/// Any other failure (the connection) fails every caller of that batch with it, as it would have failed each alone.
/// Once taken into a batch, a row is written whatever its caller's token says (it may already be committed).
/// </remarks>
internal sealed class PgInsertBatcher
{
    private const int Writers = 2;
    private const int MaxBatch = 500;

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly NpgsqlDataSource _source;
    private readonly string _insert;
    private readonly string _channel;
    private readonly Func<bool> _notify;
    private readonly Task[] _loops;
    private long _statements;

    /// <param name="source">Where connections come from.</param>
    /// <param name="schema">The schema of the jobs table.</param>
    /// <param name="channel">The NOTIFY channel of that schema.</param>
    /// <param name="notify">Asked once per batch: whether it sends a NOTIFY per queue it holds (the store's debounce).</param>
    public PgInsertBatcher(NpgsqlDataSource source, string schema, string channel, Func<bool> notify)
    {
        (_source, _channel, _notify) = (source, channel, notify);
        _insert = $"""
            INSERT INTO {schema}.jobs (id, type, queue, state, attempt, payload, created_at, due_at)
            SELECT v.id, v.type, v.queue, v.state, v.attempt, v.payload, now(), now() + v.delay
            FROM unnest($1::text[], $2::text[], $3::text[], $4::smallint[], $5::int[], $6::bytea[], $7::interval[])
                AS v(id, type, queue, state, attempt, payload, delay)
            """;
        _loops = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(RunAsync))];
    }

    /// <summary>INSERT statements executed so far (a batch is one; a refused batch's one-by-one retries count each).</summary>
    public long Statements => Interlocked.Read(ref _statements);

    /// <summary>Completes once the row is committed; faults with the server's error when it was refused.</summary>
    public Task InsertAsync(PgInsertRow row, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(row, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return _pending.Writer.TryWrite(pending)
            ? pending.Done.Task
            : throw new InvalidOperationException("InProc.PostgreSql is closed: the job was not stored. Enqueue before the host stops.");
    }

    /// <summary>Writes what is queued (waiting at most <paramref name="limit"/>), then refuses new rows.</summary>
    public void Close(TimeSpan limit)
    {
        _pending.Writer.TryComplete();
        Task.WaitAll(_loops, limit);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>();
        while (await _pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count > 0)
            {
                await WriteAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }
        }
    }

    /// <summary>One batch: one statement, or, when the server refuses it, one statement per row. Completes every caller; never throws.</summary>
    internal async Task WriteAsync(IReadOnlyList<Pending> batch)
    {
        try
        {
            await ExecuteAsync(batch).ConfigureAwait(false);
            Complete(batch, null);
        }
        catch (PostgresException) when (batch.Count > 1)
        {
            foreach (var one in batch)
            {
                await WriteAsync([one]).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // handed to each waiting caller, who sees it from EnqueueAsync
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Complete(batch, ex);
        }
    }

    private async Task ExecuteAsync(IReadOnlyList<Pending> batch)
    {
        await using var command = _source.CreateBatch();
        var rows = batch.Select(p => p.Row).ToArray();
        command.BatchCommands.Add(PgCommands.Batch(_insert,
            rows.Select(r => r.Id).ToArray(), rows.Select(r => r.Type).ToArray(), rows.Select(r => r.Queue).ToArray(),
            rows.Select(r => r.State).ToArray(), rows.Select(r => r.Attempt).ToArray(), rows.Select(r => r.Payload).ToArray(),
            rows.Select(r => r.Delay).ToArray()));
        if (_notify())
        {
            foreach (var queue in rows.Select(r => r.Queue).Distinct(StringComparer.Ordinal))
            {
                command.BatchCommands.Add(PgCommands.Batch("SELECT pg_notify($1, $2)", _channel, queue));
            }
        }

        Interlocked.Increment(ref _statements);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static void Complete(IReadOnlyList<Pending> batch, Exception? error)
    {
        foreach (var pending in batch)
        {
            if (error is null)
            {
                pending.Done.TrySetResult();
            }
            else
            {
                pending.Done.TrySetException(error);
            }
        }
    }

    internal sealed record Pending(PgInsertRow Row, TaskCompletionSource Done);
}

/// <summary>One job row as an enqueue writes it; <see cref="Delay"/> is added to the database's <c>now()</c>.</summary>
internal readonly record struct PgInsertRow(string Id, string Type, string Queue, short State, int Attempt, byte[] Payload, TimeSpan Delay);
