using System.Runtime.InteropServices;

namespace InProc.Queues;

/// <summary>
/// A queue's free capacity. Taking and giving back a slot is one interlocked operation; only an enqueuer that
/// must wait for space (QueueFullMode.Wait) parks, and only a release that finds a parked enqueuer takes the lock.
/// </summary>
/// <remarks>
/// No lost wake-up: a waiter counts itself in <see cref="_parked"/> (under the lock) before its last try to take a
/// slot, and a releaser adds the slot before it reads <see cref="_parked"/> (both are full fences), so either the
/// waiter sees the slot or the releaser sees the waiter, takes the lock, and hands it a slot. The slot is taken on
/// the waiter's behalf before the waiter is woken: a woken waiter never finds the queue full again, and a release
/// with nobody parked costs no lock and no signal (a semaphore would be released on every one of them while an
/// enqueuer is merely between two waits).
/// </remarks>
internal sealed class SlotCounter(int capacity)
{
    private readonly int _capacity = capacity;
    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _waiters = new(); // oldest first; guarded by _lock
    private Padded _free = new() { Value = capacity };
    private int _parked; // waiters in _waiters, readable without the lock
    private volatile bool _closed;

    public int Capacity => _capacity;

    public int Free => Math.Max(0, Volatile.Read(ref _free.Value));

    public bool TryTake()
    {
        ref var free = ref _free.Value;
        var seen = Volatile.Read(ref free);
        while (seen > 0)
        {
            var previous = Interlocked.CompareExchange(ref free, seen - 1, seen);
            if (previous == seen)
            {
                return true;
            }

            seen = previous;
        }

        return false;
    }

    public void Release()
    {
        Interlocked.Increment(ref _free.Value);
        if (Volatile.Read(ref _parked) > 0)
        {
            HandOver();
        }
    }

    /// <summary>Waits for a slot; false when the counter was closed (InProc is stopping) before one came free.</summary>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_closed)
        {
            return new ValueTask<bool>(false);
        }

        return TryTake() ? new ValueTask<bool>(true) : Park(cancellationToken);
    }

    /// <summary>Wakes every waiter with "closed": no one waits for space in a queue that is stopping.</summary>
    public void Close()
    {
        _closed = true;
        var woken = new List<Waiter>();
        lock (_lock)
        {
            while (_waiters.First is { } node)
            {
                woken.Add(Unpark(node));
            }
        }

        foreach (var waiter in woken)
        {
            waiter.Finish(false);
        }
    }

    private ValueTask<bool> Park(CancellationToken cancellationToken)
    {
        var waiter = new Waiter(this);
        lock (_lock)
        {
            // Counted before the last try: a release from here on sees the waiter (see the remarks).
            Interlocked.Increment(ref _parked);
            var closed = _closed;
            if (closed || TryTake())
            {
                Interlocked.Decrement(ref _parked);
                return new ValueTask<bool>(!closed);
            }

            waiter.Node = _waiters.AddLast(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Listen(cancellationToken);
        }

        return new ValueTask<bool>(waiter.Task);
    }

    /// <summary>Gives free slots to parked waiters, oldest first, then wakes them outside the lock.</summary>
    private void HandOver()
    {
        List<Waiter>? handed = null;
        lock (_lock)
        {
            while (_waiters.First is { } node && TryTake())
            {
                (handed ??= []).Add(Unpark(node));
            }
        }

        if (handed is null)
        {
            return;
        }

        foreach (var waiter in handed)
        {
            waiter.Finish(true);
        }
    }

    /// <summary>Takes a waiter out of the list (under the lock): from here on it is not waiting, and a late cancel leaves it alone.</summary>
    private Waiter Unpark(LinkedListNode<Waiter> node)
    {
        _waiters.Remove(node);
        node.Value.Node = null;
        Interlocked.Decrement(ref _parked);
        return node.Value;
    }

    private void Cancel(Waiter waiter, CancellationToken token)
    {
        lock (_lock)
        {
            if (waiter.Node is null)
            {
                return; // handed a slot (or closed) first: that outcome stands
            }

            Unpark(waiter.Node);
        }

        waiter.TrySetCanceled(token);
    }

    /// <summary>One parked enqueuer. Its continuation runs on the thread pool, never inline in the releasing worker.</summary>
    private sealed class Waiter(SlotCounter counter) : TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        private CancellationTokenRegistration _cancellation;
        private bool _finished;

        /// <summary>Its place in the counter's list while it waits; null once handed a slot, closed, or cancelled. Guarded by the counter's lock.</summary>
        public LinkedListNode<Waiter>? Node { get; set; }

        /// <summary>Registered after the waiter is in the list: a slot handed over meanwhile is kept, and the registration is let go.</summary>
        public void Listen(CancellationToken token)
        {
            var registration = token.UnsafeRegister(static (state, token) => ((Waiter)state!).Cancelled(token), this);
            lock (this)
            {
                if (!_finished)
                {
                    _cancellation = registration;
                    return;
                }
            }

            registration.Dispose();
        }

        public void Finish(bool gotSlot)
        {
            CancellationTokenRegistration cancellation;
            lock (this)
            {
                _finished = true;
                cancellation = _cancellation;
            }

            cancellation.Dispose();
            TrySetResult(gotSlot);
        }

        private void Cancelled(CancellationToken token) => counter.Cancel(this, token);
    }

    /// <summary>The free count on a cache line of its own: the enqueuer and the workers write it on every job, and nothing else should share its line.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Padded
    {
        [FieldOffset(64)]
        public int Value;
    }
}
