using InProc.Diagnostics;
using Microsoft.Extensions.Logging;

namespace InProc.Lifecycle;

/// <summary>
/// The lifecycle's ordered change feed. Observers run on the thread that made the change, each inside a guard:
/// a throwing observer (a meter listener, a test probe) is logged and never breaks the transition.
/// </summary>
internal sealed class ChangeFeed(ILogger logger)
{
    private readonly object _subscribeLock = new();
    private IJobChangeObserver[] _observers = [];

    public void Subscribe(IJobChangeObserver observer)
    {
        lock (_subscribeLock)
        {
            _observers = [.. _observers, observer];
        }
    }

    public void Unsubscribe(IJobChangeObserver observer)
    {
        lock (_subscribeLock)
        {
            _observers = [.. _observers.Where(o => !ReferenceEquals(o, observer))];
        }
    }

    public void Publish(in JobChange change)
    {
        foreach (var observer in Volatile.Read(ref _observers))
        {
            try
            {
                observer.OnChange(change);
            }
#pragma warning disable CA1031 // An observer's failure must never undo or block a state change.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ObserverFailed(logger, ex, observer.GetType().Name, change.Envelope.Id);
            }
        }
    }
}
