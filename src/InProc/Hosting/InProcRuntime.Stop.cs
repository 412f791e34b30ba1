using InProc.Diagnostics;

namespace InProc.Hosting;

internal sealed partial class InProcRuntime
{
    private int _abandonedCount;
    private Task? _stopTask;

    /// <summary>
    /// Drains: refuse new work, let the queues empty for <see cref="InProcOptions.ShutdownTimeout"/>, then cancel
    /// running jobs and wait <see cref="InProcOptions.ShutdownGracePeriod"/>. Every job that did not finish is
    /// reported. Never waits longer than timeout + grace, even for a job that ignores its token.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_jobsStopping)
        {
            return _stopTask ??= StopCoreAsync(cancellationToken);
        }
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        var startedAt = _time.GetTimestamp();
        _stopping = true;

        // Delayed jobs and waiting retries will not come due in this process.
        foreach (var envelope in _scheduler.Stop())
        {
            Abandon(envelope, AbandonReason.Shutdown);
        }

        Log.Stopping(_logger, _queues.Sum(q => q.Waiting), _options.ShutdownTimeout);
        foreach (var queue in _queues)
        {
            queue.Writer.TryComplete();
        }

        var workers = Task.WhenAll(_queues.Select(q => q.Completion));
        if (Volatile.Read(ref _started) == 0)
        {
            // Never started: nothing will run what is queued.
            AbandonWaiting();
        }
        else if (!await CompletesWithinAsync(workers, _options.ShutdownTimeout, cancellationToken).ConfigureAwait(false))
        {
            Log.DrainTimedOut(_logger, _options.ShutdownTimeout, _options.ShutdownGracePeriod);
            _abandoning = true;
            AbandonWaiting();
            await _jobsStopping.CancelAsync().ConfigureAwait(false);
            await CompletesWithinAsync(workers, _options.ShutdownGracePeriod, CancellationToken.None).ConfigureAwait(false);

            // Still running past the grace: they ignore their token. Report them and return anyway.
            foreach (var queue in _queues)
            {
                foreach (var envelope in queue.RunningJobs())
                {
                    Abandon(envelope, AbandonReason.Shutdown);
                }
            }
        }

        Log.Stopped(_logger, _time.GetElapsedTime(startedAt), Volatile.Read(ref _abandonedCount));
    }

    private void AbandonWaiting()
    {
        foreach (var queue in _queues)
        {
            foreach (var envelope in queue.TakeWaiting())
            {
                Abandon(envelope, AbandonReason.Shutdown);
            }
        }
    }

    /// <summary>Waits for <paramref name="task"/> at most <paramref name="limit"/> on the injected clock.</summary>
    private async Task<bool> CompletesWithinAsync(Task task, TimeSpan limit, CancellationToken cancellationToken)
    {
        if (task.IsCompleted)
        {
            return true;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(limit, _time, timeout.Token);
        var first = await Task.WhenAny(task, delay).ConfigureAwait(false);
        await timeout.CancelAsync().ConfigureAwait(false);
        return first == task;
    }
}
