using System.Threading.Channels;
using InProc.Execution;
using InProc.Store;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace InProc.PostgreSql.Store;

/// <summary>
/// Writes attempts' results many at once, each guarded by this host's lease (owner, Running, attempt). A result whose
/// row no longer matches (the lease expired and another host took the job, or it was cancelled) is dropped and logged:
/// it never overwrites another host's outcome. A write that fails is retried until it succeeds or the host stops (never
/// given up while the host lives: it renews every lease it owns, so an unwritten result would keep its row Running for
/// good); a result never written (the host stopped or died first) leaves its row leased, so after the lease another
/// host runs the job again (at-least-once).
/// </summary>
internal sealed class PgCompletionWriter
{
    private const int MaxBatch = 1_000;
    private readonly CancellationTokenSource _abandon = new();
    private readonly Channel<Item> _items = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly NpgsqlDataSource _source;
    private readonly PgSql _sql;
    private readonly string _host;
    private readonly string _schema;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Task _loop;
    private int _lost;

    public PgCompletionWriter(NpgsqlDataSource source, PgSql sql, string host, string schema, ILogger logger, TimeProvider time)
    {
        (_source, _sql, _host, _schema, _logger, _time) = (source, sql, host, schema, logger, time);
        _loop = Task.Run(RunAsync);
    }

    public int Lost => Volatile.Read(ref _lost);

    /// <summary>Called after each batch is written (the store wakes the claimers: a concurrency slot may be free now). Guarded.</summary>
    public Func<Task>? Written { get; set; }

    public void Add(Envelope envelope, JobTransition transition, DateTimeOffset now)
    {
        var error = transition.To is JobState.Failed or JobState.Retrying or JobState.Abandoned ? envelope.Error : null;
        var delay = transition.To == JobState.Retrying && envelope.DueAt is { } due ? (long)Math.Max(0, (due - now).TotalMilliseconds) : -1;
        _items.Writer.TryWrite(new Item(envelope.Id.ToString(), transition, delay,
            error is null ? null : error is StoredError stored ? stored.TypeName : error.GetType().FullName,
            error?.Message, error?.StackTrace, error is null ? null : MessageCodec.WriteFailures(envelope.Failures), envelope.Progress, envelope.ProgressStatus, null));
    }

    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _items.Writer.TryWrite(new Item(null, default, 0, null, null, null, null, null, null, done)) ? done.Task : Task.CompletedTask;
    }

    /// <summary>Writes what is pending (waiting at most <paramref name="limit"/>), then stops: what is still unwritten is abandoned to the leases.</summary>
    public void Close(TimeSpan limit)
    {
        _items.Writer.TryComplete();
        if (!_loop.Wait(limit))
        {
            _abandon.Cancel();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<Item>();
        while (await _items.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _items.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            await WriteAsync(batch).ConfigureAwait(false);
            await AfterWriteAsync().ConfigureAwait(false);
            foreach (var item in batch)
            {
                item.Flushed?.TrySetResult();
            }

            batch.Clear();
        }
    }

    private async Task AfterWriteAsync()
    {
        try
        {
            if (Written is { } written)
            {
                await written().ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // A wake-up that fails costs a poll interval, never a result.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.WakeFailed(_logger, ex, _schema, PgErrors.Describe(ex));
        }
    }

    private async Task WriteAsync(List<Item> batch)
    {
        var results = batch.Where(i => i.Id is not null).ToList();
        var token = _abandon.Token;
        for (var attempt = 1; results.Count > 0 && !token.IsCancellationRequested; attempt++)
        {
            try
            {
                await using var command = PgAsyncCommit.Batch(_source, _sql.Complete,
                    results.Select(r => r.Id!).ToArray(), results.Select(r => r.Transition.FromAttempt).ToArray(),
                    results.Select(r => (short)r.Transition.To).ToArray(), results.Select(r => r.Transition.ToAttempt).ToArray(),
                    results.Select(r => r.DelayMs).ToArray(), results.Select(r => r.ErrorType).ToArray(), results.Select(r => r.Error).ToArray(),
                    results.Select(r => r.Stack).ToArray(), results.Select(r => r.Failures).ToArray(), _host,
                    results.Select(r => r.Progress).ToArray(), results.Select(r => r.ProgressStatus).ToArray());
                var written = new HashSet<string>(StringComparer.Ordinal);
                await using (var reader = await PgAsyncCommit.ReadAsync(command, token).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(token).ConfigureAwait(false))
                    {
                        written.Add(reader.GetString(0));
                    }
                }

                foreach (var lost in results.Where(r => !written.Contains(r.Id!)))
                {
                    Interlocked.Increment(ref _lost);
                    Log.LeaseLost(_logger, lost.Id!, lost.Transition.FromAttempt, lost.Transition.To, _host);
                }

                return;
            }
#pragma warning disable CA1031 // The database is away: retry with a pause; the rows stay leased meanwhile.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.WriteFailed(_logger, ex, results.Count, _schema, attempt, PgErrors.Describe(ex));
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2_000, 100 * attempt)), _time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return; // the host stopped: these rows' leases expire and another host runs them again
                }
            }
        }
    }

    private sealed record Item(string? Id, JobTransition Transition, long DelayMs, string? ErrorType, string? Error, string? Stack, string? Failures, double? Progress, string? ProgressStatus, TaskCompletionSource? Flushed);
}
