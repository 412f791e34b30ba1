using InProc.Diagnostics;

namespace InProc.Hosting;

internal sealed partial class InProcRuntime
{
    private const string TimeoutLimit = "InProcOptions.ShutdownTimeout";
    private const string HostLimit = "the host's stop token (HostOptions.ShutdownTimeout)";

    private readonly object _stopLock = new();
    private Task? _stopTask;

    /// <summary>
    /// Drains within one budget: the earlier of <see cref="InProcOptions.ShutdownTimeout"/> and the host's stop
    /// token, plus <see cref="InProcOptions.ShutdownGracePeriod"/> for cancelled jobs to finish. Every job that did
    /// not finish is reported; hooks run outside locks and inside the budget. Never waits longer than that budget.
    /// </summary>
    public Task StopAsync(CancellationToken hostToken)
    {
        lock (_stopLock)
        {
            return _stopTask ??= StopCoreAsync(hostToken);
        }
    }

    private async Task StopCoreAsync(CancellationToken hostToken)
    {
        var startedAt = _time.GetTimestamp();
        var abandonedBefore = Lifecycle.AbandonedByShutdown;
        Recurring?.Stop(); // first: no slot may come due while the rest stops
        (Store as Store.IClaimingJobStore)?.StopClaiming(); // a shared store's other hosts take what this one has not claimed
        _state.BeginStopping();
        Lifecycle.Hooks.Defer();

        // Delayed jobs and waiting retries will not come due in this process.
        foreach (var envelope in _scheduler.Stop())
        {
            Lifecycle.TryAbandon(envelope, AbandonReason.Shutdown);
        }

        var budget = _options.ShutdownTimeout;
        Log.Stopping(_logger, _channels?.Waiting ?? 0, _channels?.Running ?? 0, budget, hostToken.CanBeCanceled ? $"{TimeoutLimit}, or {HostLimit} if sooner" : TimeoutLimit);
        if (_channels is not null)
        {
            _channels.Close();
            if (Volatile.Read(ref _started) == 0)
            {
                _channels.AbandonWaiting(); // never started: nothing will run what is queued
            }
            else
            {
                await DrainAsync(_channels, budget, startedAt, hostToken).ConfigureAwait(false);
            }
        }

        AbandonLimitWaiters();

        // Hooks deferred during the stop get what is left of the budget (at least the grace period).
        var left = budget + _options.ShutdownGracePeriod - _time.GetElapsedTime(startedAt);
        if (await WaitAsync(Lifecycle.Hooks.WhenIdle(), left > TimeSpan.Zero ? left : TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false) != WaitResult.Completed)
        {
            Log.HooksStillRunning(_logger);
        }

        Log.Stopped(_logger, _time.GetElapsedTime(startedAt), Lifecycle.AbandonedByShutdown - abandonedBefore);
        CloseStore();
    }

    private async Task DrainAsync(Queues.ChannelDispatcher channels, TimeSpan budget, long startedAt, CancellationToken hostToken)
    {
        var workers = channels.Completion;
        var ended = await WaitAsync(workers, budget, hostToken).ConfigureAwait(false);
        if (ended == WaitResult.Completed)
        {
            return;
        }

        Log.DrainTimedOut(_logger, ended == WaitResult.HostToken ? HostLimit : TimeoutLimit, _time.GetElapsedTime(startedAt), channels.Running, _options.ShutdownGracePeriod);
        await _state.BeginAbandoningAsync().ConfigureAwait(false);
        channels.AbandonWaiting();
        await WaitAsync(workers, _options.ShutdownGracePeriod, CancellationToken.None).ConfigureAwait(false);

        // Still running past the grace: they ignore their token. Report them and return anyway.
        foreach (var envelope in channels.RunningJobs())
        {
            if (Lifecycle.TryAbandon(envelope, AbandonReason.Shutdown))
            {
                Log.StillRunningAfterGrace(_logger, envelope.Id, envelope.Registration.MessageType.Name);
            }
        }
    }

    /// <summary>Waits for <paramref name="task"/> at most <paramref name="limit"/> on the injected clock, or until <paramref name="token"/>.</summary>
    private async Task<WaitResult> WaitAsync(Task task, TimeSpan limit, CancellationToken token)
    {
        if (task.IsCompleted)
        {
            return WaitResult.Completed;
        }

        if (token.IsCancellationRequested)
        {
            return WaitResult.HostToken;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(token);
        var delay = Task.Delay(limit, _time, cancel.Token);
        var first = await Task.WhenAny(task, delay).ConfigureAwait(false);
        await cancel.CancelAsync().ConfigureAwait(false);
        if (first == task)
        {
            return WaitResult.Completed;
        }

        return token.IsCancellationRequested ? WaitResult.HostToken : WaitResult.TimedOut;
    }

    private enum WaitResult
    {
        Completed,
        TimedOut,
        HostToken,
    }
}
