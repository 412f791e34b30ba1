namespace InProc.StressTests.Support;

/// <summary>A count that a test can wait on, without polling: each increment wakes the waiter once.</summary>
internal sealed class ProgressCounter
{
    private readonly SemaphoreSlim _progress = new(0);
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Increment()
    {
        Interlocked.Increment(ref _count);
        _progress.Release();
    }

    /// <summary>
    /// Waits until the count reaches <paramref name="expected"/>. Gives up (false) when it does not move for
    /// <paramref name="quiet"/>, so a missing increment fails a test instead of hanging it.
    /// </summary>
    public async Task<bool> WaitForAsync(int expected, TimeSpan quiet)
    {
        while (Count < expected)
        {
            if (!await _progress.WaitAsync(quiet))
            {
                return false;
            }
        }

        return true;
    }
}
