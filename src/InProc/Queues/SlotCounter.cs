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

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiters);
        try
        {
            while (!TryTake())
            {
                await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiters);
        }
    }
}
