using System.Collections.Concurrent;
using InProc.Diagnostics;
using Microsoft.Extensions.Logging;

namespace InProc.Lifecycle;

/// <summary>
/// Calls the application's hooks (<see cref="InProcOptions.OnJobFailed"/>, <see cref="InProcOptions.OnAbandoned"/>)
/// inside a guard and never under a lock. While InProc stops, hooks go to one background runner instead, so a slow
/// hook cannot stretch the drain: the stop waits for them only within its budget.
/// </summary>
internal sealed class HookRunner(ILogger logger)
{
    private readonly ConcurrentQueue<Action> _deferred = new();
    private readonly object _pumpLock = new();
    private Task _pump = Task.CompletedTask;
    private bool _pumping;
    private volatile bool _deferring;

    /// <summary>From now on, hooks run on the background runner (the stop has begun).</summary>
    public void Defer() => _deferring = true;

    public void Invoke<TArguments>(Action<TArguments>? hook, TArguments arguments, string hookName, JobId id)
    {
        if (hook is null)
        {
            return;
        }

        if (!_deferring)
        {
            Run(hook, arguments, hookName, id);
            return;
        }

        _deferred.Enqueue(() => Run(hook, arguments, hookName, id));
        lock (_pumpLock)
        {
            if (!_pumping)
            {
                _pumping = true;
                _pump = Task.Run(Pump);
            }
        }
    }

    /// <summary>Completes when every deferred hook has run.</summary>
    public Task WhenIdle()
    {
        lock (_pumpLock)
        {
            return _pumping ? _pump.ContinueWith(_ => WhenIdle(), TaskScheduler.Default).Unwrap() : Task.CompletedTask;
        }
    }

    private void Pump()
    {
        while (true)
        {
            while (_deferred.TryDequeue(out var call))
            {
                call();
            }

            lock (_pumpLock)
            {
                if (_deferred.IsEmpty)
                {
                    _pumping = false;
                    return;
                }
            }
        }
    }

    private void Run<TArguments>(Action<TArguments> hook, TArguments arguments, string hookName, JobId id)
    {
        try
        {
            hook(arguments);
        }
#pragma warning disable CA1031 // An application's callback must never break a worker, a timer or the drain.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.HookFailed(logger, ex, hookName, id);
        }
    }
}
