using System.Collections.Concurrent;

namespace InProc.Tests.Support;

/// <summary>
/// Records hook calls and lets a test wait for a count without polling. Hooks called when the stop's budget has
/// run out are left running by design (they must not stretch the stop), so a test waits for them after the stop.
/// </summary>
internal sealed class HookLog<T> : ConcurrentQueue<T>
{
    private readonly object _lock = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];

    public void Add(T item)
    {
        Enqueue(item);
        lock (_lock)
        {
            foreach (var waiter in _waiters.Where(w => Count >= w.Count).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public Task WaitForCountAsync(int count)
    {
        lock (_lock)
        {
            if (Count >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task.WaitAsync(TestHost.Patience);
        }
    }
}
