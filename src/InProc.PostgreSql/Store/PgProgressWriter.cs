using InProc.Execution;
using InProc.Store;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace InProc.PostgreSql.Store;

/// <summary>
/// Carries what this host's running jobs report (<see cref="JobContext.ReportProgress"/>) to their rows, so a status page
/// served by any host shows it: once per <see cref="Interval"/> at most, one statement for every job whose progress
/// changed, none when nothing did. The final progress goes with the result (PgCompletionWriter).
/// </summary>
internal sealed class PgProgressWriter(PgJobStore store, NpgsqlDataSource source, JobStoreContext context, ILogger logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _one = new(1, 1); // the loop, or a test's direct call: one at a time
    private readonly Dictionary<JobId, (double? Fraction, string? Status)> _written = [];
    private Task _loop = Task.CompletedTask;

    public void Start() => _loop = Task.Run(LoopAsync);

    public void Close()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    /// <summary>Writes the progress that changed since the last write; returns how many rows it sent (tests call it directly).</summary>
    public async Task<int> WriteChangedAsync(CancellationToken token)
    {
        await _one.WaitAsync(token).ConfigureAwait(false);
        try
        {
            return await WriteChangedOnceAsync(token).ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<int> WriteChangedOnceAsync(CancellationToken token)
    {
        var changed = new List<(JobId Id, double? Fraction, string? Status)>();
        var running = new HashSet<JobId>();
        foreach (var envelope in store.ClaimedEnvelopes)
        {
            if (envelope.State != JobState.Running)
            {
                continue;
            }

            running.Add(envelope.Id);
            var now = (envelope.Progress, envelope.ProgressStatus);
            if (now is not (null, null) && (!_written.TryGetValue(envelope.Id, out var last) || last != now))
            {
                changed.Add((envelope.Id, now.Progress, now.ProgressStatus));
            }
        }

        foreach (var gone in _written.Keys.Where(id => !running.Contains(id)).ToList())
        {
            _written.Remove(gone);
        }

        if (changed.Count == 0)
        {
            return 0;
        }

        await PgCommands.RunAsync(source, store.Sql.Progress, token,
            changed.Select(c => c.Id.ToString()).ToArray(), changed.Select(c => c.Fraction).ToArray(), changed.Select(c => c.Status).ToArray(), store.Host).ConfigureAwait(false);
        foreach (var (id, fraction, status) in changed)
        {
            _written[id] = (fraction, status); // after the write: a failed one is sent again next time
        }

        return changed.Count;
    }

    private async Task LoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await WriteChangedAsync(token).ConfigureAwait(false);
                await Task.Delay(Interval, context.Time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The database is away: progress is a courtesy, the result is not; try again next time.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ProgressWriteFailed(logger, ex, PgErrors.Describe(ex));
                await Task.Delay(Interval, context.Time, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
