namespace InProc.Queues;

/// <summary>
/// A queue's free capacity. Taking and giving back a slot is one interlocked operation; only an enqueuer that
/// must wait for space (QueueFullMode.Wait) touches the semaphore behind it.
/// </summary>
/// <remarks>
/// No lost wake-up: a waiter counts itself in <see cref="_waiters"/> before it tries to take a slot, and a
/// releaser adds the slot before it reads <see cref="_waiters"/> (both are full fences), so either the waiter
/// sees the slot or the releaser sees the waiter and signals. A surplus signal only costs a waiter one more try.
/// </remarks>
internal sealed class SlotCounter(int capacity)
{
    private readonly int _capacity = capacity;
    private readonly SemaphoreSlim _signal = new(0);
    private int _free = capacity;
    private int _waiters;
    private volatile bool _closed;

    public int Capacity => _capacity;

    public int Free => Math.Max(0, Volatile.Read(ref _free));

    public bool TryTake()
    {
        var free = Volatile.Read(ref _free);
        while (free > 0)
        {
            var seen = Interlocked.CompareExchange(ref _free, free - 1, free);
            if (seen == free)
            {
                return true;
            }

            free = seen;
        }

        return false;
    }

    public void Release()
    {
        Interlocked.Increment(ref _free);
        if (Volatile.Read(ref _waiters) > 0)
        {
            _signal.Release();
        }
    }

    /// <summary>Waits for a slot; false when the counter was closed (InProc is stopping) before one came free.</summary>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _closed ? new ValueTask<bool>(false) : TryTake() ? new ValueTask<bool>(true) : new ValueTask<bool>(WaitSlowAsync(cancellationToken));
    }

    /// <summary>Wakes every waiter with "closed": no one waits for space in a queue that is stopping.</summary>
    public void Close()
    {
        _closed = true;
        var waiters = Volatile.Read(ref _waiters);
        if (waiters > 0)
        {
            _signal.Release(waiters);
        }
    }

    private async Task<bool> WaitSlowAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiters);
        try
        {
            while (!TryTake())
            {
                // Checked after counting in as a waiter: a Close that ran before saw no waiter to wake.
                if (_closed)
                {
                    return false;
                }

                await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        finally
        {
            Interlocked.Decrement(ref _waiters);
        }
    }
}
