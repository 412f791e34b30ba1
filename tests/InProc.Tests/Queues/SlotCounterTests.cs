using InProc.Queues;
using InProc.Tests.Support;

namespace InProc.Tests.Queues;

public sealed class SlotCounterTests
{
    [Fact]
    public void TryTake_AtCapacity_FailsUntilReleased()
    {
        var slots = new SlotCounter(2);

        Assert.True(slots.TryTake());
        Assert.True(slots.TryTake());
        Assert.False(slots.TryTake());
        slots.Release();

        Assert.True(slots.TryTake());
        Assert.Equal(0, slots.Free);
    }

    [Fact]
    public async Task WaitAsync_ManyWaitersRacingReleases_EveryWaiterGetsASlotAndNoneIsLost()
    {
        const int waiters = 2_000;
        var slots = new SlotCounter(1);
        Assert.True(slots.TryTake());
        var holders = 0;
        var maxHolders = 0;

        // Each waiter takes the single slot, notes that it holds it, and gives it back: a lost wake-up hangs the test.
        var tasks = Enumerable.Range(0, waiters).Select(_ => Task.Run(async () =>
        {
            Assert.True(await slots.WaitAsync(CancellationToken.None));
            var now = Interlocked.Increment(ref holders);
            InterlockedMax(ref maxHolders, now);
            Interlocked.Decrement(ref holders);
            slots.Release();
        })).ToList();
        slots.Release();

        await Task.WhenAll(tasks).WaitAsync(TestHost.Patience);
        Assert.Equal(1, maxHolders);
        Assert.Equal(1, slots.Free);
    }

    [Fact]
    public async Task WaitAsync_Cancelled_ThrowsAndLeavesTheSlotsAsTheyWere()
    {
        var slots = new SlotCounter(1);
        Assert.True(slots.TryTake());
        using var cancel = new CancellationTokenSource();

        var waiting = slots.WaitAsync(cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.AsTask());
        slots.Release();
        Assert.True(slots.TryTake());
    }

    [Fact]
    public async Task Close_WhileWaiting_WakesTheWaiterWithFalse()
    {
        var slots = new SlotCounter(1);
        Assert.True(slots.TryTake());
        var waiting = slots.WaitAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        slots.Close();

        Assert.False(await waiting.AsTask().WaitAsync(TestHost.Patience));
        Assert.False(await slots.WaitAsync(CancellationToken.None)); // closed: nobody waits any more
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
