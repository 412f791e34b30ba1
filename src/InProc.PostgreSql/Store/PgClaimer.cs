using InProc.Execution;
using InProc.Store;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace InProc.PostgreSql.Store;

/// <summary>
/// This host's three loops: claim (woken by a local add or a finished job, a NOTIFY, or the poll), listen (one connection
/// of its own, re-LISTENed after a reconnect), and maintain (renew leases, heartbeat, take over expired leases, prune).
/// Each is guarded: a failure is logged and retried, never lost with its loop.
/// </summary>
internal sealed class PgClaimer(PgJobStore store, NpgsqlDataSource source, PostgreSqlOptions options, JobStoreContext context, ILogger logger)
{
    private readonly CancellationTokenSource _stopClaiming = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _woken;
    private IClaimSink? _sink;
    private (int Index, string Name, string[] Types, string[] Limited)[] _queues = [];
    private Task _claims = Task.CompletedTask;
    private Task _listen = Task.CompletedTask;
    private Task _maintain = Task.CompletedTask;

    public bool Paused { get; set; }

    public void Start(IClaimSink sink)
    {
        _sink = sink;
        var queues = context.Options.Queues;
        _queues = [.. Enumerable.Range(0, queues.Count)
            .Select(i => (i, queues[i].Name, Types(i, limited: false), Types(i, limited: true)))
            .Where(q => q.Item3.Length + q.Item4.Length > 0)];
        _claims = Task.Run(ClaimLoopAsync);
        _maintain = Task.Run(MaintainLoopAsync);
        if (options.UseNotifications)
        {
            _listen = Task.Run(ListenLoopAsync);
        }
    }

    /// <summary>The stored names of queue <paramref name="index"/>'s types: those claimed within a concurrency limit, or the others.</summary>
    private string[] Types(int index, bool limited) =>
        [.. context.Registry.Values.Where(r => r.QueueIndex == index && PgLimits.ClaimedWithinLimits(r) == limited).Select(r => r.Name)];

    public void Wake()
    {
        Volatile.Write(ref _woken, 1);
        lock (_gate)
        {
            _signal.TrySetResult();
        }
    }

    public void StopClaiming()
    {
        if (!_stopClaiming.IsCancellationRequested)
        {
            _stopClaiming.Cancel();
            _claims.Wait(options.LeaseDuration); // a claim in flight lands before the stop hands back what is queued
        }
    }

    public void Close()
    {
        _stop.Cancel();
        Task.WaitAll([_listen, _maintain], TimeSpan.FromSeconds(10));
        try
        {
            PgCommands.Run(source, store.Sql.Leave, store.Host);
        }
#pragma warning disable CA1031 // Leaving the hosts list is a courtesy: a stale row is forgotten after ten leases.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task ClaimLoopAsync()
    {
        var token = _stopClaiming.Token;
        while (!token.IsCancellationRequested)
        {
            var wait = options.PollInterval;
            try
            {
                if (await ClaimRoundAsync(token).ConfigureAwait(false))
                {
                    continue; // a queue took all it asked for: there may be more
                }

                // Woken meanwhile (a worker came free, an add, a NOTIFY): claim again at once, without asking for the next due time.
                wait = Volatile.Read(ref _woken) == 1 ? TimeSpan.Zero : await NextDueAsync(wait, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The database is away: log, wait a poll, try again; the jobs wait in the table.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ClaimFailed(logger, ex, options.Schema, PgErrors.Describe(ex));
            }

            await WaitAsync(wait, token).ConfigureAwait(false);
        }
    }

    /// <summary>Claims for every queue with free workers; true when some queue got as many as it asked for.</summary>
    private async Task<bool> ClaimRoundAsync(CancellationToken token)
    {
        var full = false;
        foreach (var (index, name, types, limited) in _queues)
        {
            var free = _sink!.FreeSlots(index);
            if (free <= 0)
            {
                continue;
            }

            var rows = new List<PgRow>();
            if (types.Length > 0)
            {
                await ClaimAsync(rows, store.Sql.Claim, name, types, free, token).ConfigureAwait(false);
            }

            if (limited.Length > 0 && rows.Count < free)
            {
                await ClaimAsync(rows, store.Limits.Claim, name, limited, free - rows.Count, token).ConfigureAwait(false);
            }

            foreach (var row in rows)
            {
                if (store.Claimed(row) is { } envelope)
                {
                    _sink.Dispatch(envelope);
                }
            }

            full |= rows.Count == free;
        }

        return full;
    }

    private async Task ClaimAsync(List<PgRow> rows, string sql, string queue, string[] types, int count, CancellationToken token)
    {
        await using var command = PgAsyncCommit.Batch(source, sql, queue, types, count, store.Host, options.LeaseDuration);
        await using var reader = await PgAsyncCommit.ReadAsync(command, token).ConfigureAwait(false);
        while (await reader.ReadAsync(token).ConfigureAwait(false))
        {
            rows.Add(PgRow.Read(reader));
        }
    }

    /// <summary>The poll interval, or less when a scheduled job comes due sooner (on the database's clock).</summary>
    private async Task<TimeSpan> NextDueAsync(TimeSpan poll, CancellationToken token)
    {
        await using var command = PgCommands.Command(source, store.Sql.NextDue, (object)_queues.Select(q => q.Name).ToArray()); // one text[] parameter, not params
        var value = await command.ExecuteScalarAsync(token).ConfigureAwait(false);
        if (value is null or DBNull)
        {
            return poll; // nothing waiting
        }

        var seconds = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        return seconds < poll.TotalSeconds ? TimeSpan.FromSeconds(Math.Max(0.001, seconds)) : poll;
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken token)
    {
        Task signal;
        lock (_gate)
        {
            if (_signal.Task.IsCompleted)
            {
                _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            signal = _signal.Task;
        }

        if (Interlocked.Exchange(ref _woken, 0) == 1)
        {
            return;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(token);
        await Task.WhenAny(signal, Task.Delay(wait, context.Time, cancel.Token)).ConfigureAwait(false);
        await cancel.CancelAsync().ConfigureAwait(false);
        Volatile.Write(ref _woken, 0);
    }

    private async Task ListenLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await using var connection = await source.OpenConnectionAsync(token).ConfigureAwait(false);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand("LISTEN " + store.Sql.Channel, connection))
                {
                    await listen.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                }

                Wake(); // what was enqueued while this host was not listening
                while (true)
                {
                    await connection.WaitAsync(token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A lost connection: poll meanwhile, reconnect, LISTEN again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ListenFailed(logger, ex, PgErrors.Describe(ex), options.PollInterval);
                await Pause(options.PollInterval, token).ConfigureAwait(false);
            }
        }
    }

    private async Task MaintainLoopAsync()
    {
        var token = _stop.Token;
        var queues = string.Join(",", context.Options.Queues.Select(q => $"{q.Name}:{q.Workers}"));
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (!Paused)
                {
                    await PgCommands.RunAsync(source, store.Sql.Renew, token, store.Host, options.LeaseDuration).ConfigureAwait(false);
                    await PgCommands.RunAsync(source, store.Sql.Heartbeat, token, store.Host, queues).ConfigureAwait(false);
                    var taken = await PgCommands.RunAsync(source, store.Sql.TakeOver, token, options.PruneBatchSize).ConfigureAwait(false);
                    if (taken > 0)
                    {
                        Log.LeasesTakenOver(logger, taken);
                        Wake();
                    }

                    await PruneAsync(token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Retry at the next heartbeat; the log says what happens if this goes on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.MaintenanceFailed(logger, ex, PgErrors.Describe(ex), options.LeaseDuration);
            }

            await Pause(options.HeartbeatInterval, token).ConfigureAwait(false);
        }
    }

    private async Task PruneAsync(CancellationToken token)
    {
        var o = context.Options;
        var batch = options.PruneBatchSize;
        var pruned = await PgCommands.RunAsync(source, store.Sql.PruneOld, token, o.FinishedJobRetentionPeriod, batch).ConfigureAwait(false)
            + await PgCommands.RunAsync(source, store.Sql.PruneExtra, token, o.FinishedJobRetention, batch).ConfigureAwait(false)
            + await PgCommands.RunAsync(source, store.Sql.PruneDead, token, o.DeadLetterCapacity, batch).ConfigureAwait(false);
        await PgCommands.RunAsync(source, store.Sql.ForgetHosts, token, options.LeaseDuration * 10).ConfigureAwait(false);
        await PgCommands.RunAsync(source, store.Limits.SweepKeys, token, batch).ConfigureAwait(false);
        if (pruned > 0)
        {
            Log.Pruned(logger, pruned);
        }
    }

    private async Task Pause(TimeSpan wait, CancellationToken token)
    {
        try
        {
            await Task.Delay(wait, context.Time, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
