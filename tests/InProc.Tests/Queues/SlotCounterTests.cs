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

    [Fact]
    public async Task A_parked_waiter_is_handed_the_released_slot_itself_so_it_is_not_free_for_anyone_else()
    {
        var slots = new SlotCounter(1);
        Assert.True(slots.TryTake());
        var waiting = slots.WaitAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        slots.Release();

        Assert.True(await waiting.AsTask().WaitAsync(TestHost.Patience));
        Assert.Equal(0, slots.Free); // the waiter holds it
        Assert.False(slots.TryTake());
    }

    [Fact]
    public async Task Waiters_cancelled_while_slots_are_released_lose_no_slot_and_keep_a_slot_they_were_handed()
    {
        // Each round: 50 waiters on a full counter of 4, half of them cancelled while the 4 slots are given back one
        // by one and every winner gives its slot back too. A slot handed to a waiter whose cancel came second must be
        // returned by that waiter (it got true); a cancelled waiter must not have taken one. Either way: 4 free at the end.
        for (var round = 0; round < 200; round++)
        {
            const int capacity = 4;
            var slots = new SlotCounter(capacity);
            for (var i = 0; i < capacity; i++)
            {
                Assert.True(slots.TryTake());
            }

            var sources = Enumerable.Range(0, 50).Select(_ => new CancellationTokenSource()).ToArray();
            var waiters = sources.Select(s => Task.Run(async () =>
            {
                try
                {
                    if (await slots.WaitAsync(s.Token))
                    {
                        slots.Release();
                        return true;
                    }

                    return false;
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            })).ToArray();

            var cancels = Task.Run(() =>
            {
                for (var i = 0; i < sources.Length; i += 2)
                {
                    sources[i].Cancel();
                }
            });
            for (var i = 0; i < capacity; i++)
            {
                slots.Release();
            }

            await cancels.WaitAsync(TestHost.Patience);
            var results = await Task.WhenAll(waiters).WaitAsync(TestHost.Patience);

            Assert.Equal(capacity, slots.Free);
            Assert.All(results.Where((_, i) => i % 2 == 1), Assert.True); // never cancelled: each one got a slot in turn
            foreach (var source in sources)
            {
                source.Dispose();
            }
        }
    }

    [Fact]
    public async Task Close_racing_the_waiters_cancellation_wakes_each_once_and_never_throws_from_the_cancel()
    {
        // A waiter closed and cancelled at the same instant: whichever comes second must see it is no longer waiting.
        // Close used to empty the list without marking its waiters, so a cancel arriving after it tried to remove a
        // node from a list it was no longer in, and threw out of CancellationTokenSource.Cancel.
        for (var round = 0; round < 300; round++)
        {
            var slots = new SlotCounter(1);
            Assert.True(slots.TryTake());
            var sources = Enumerable.Range(0, 20).Select(_ => new CancellationTokenSource()).ToArray();
            var waits = sources.Select(s => slots.WaitAsync(s.Token).AsTask()).ToArray();

            var cancelling = Task.Run(() =>
            {
                foreach (var source in sources)
                {
                    source.Cancel(); // throws if a cancellation callback threw
                }
            });
            slots.Close();
            await cancelling.WaitAsync(TestHost.Patience);

            foreach (var wait in waits)
            {
                try
                {
                    Assert.False(await wait.WaitAsync(TestHost.Patience)); // closed: no slot
                }
                catch (OperationCanceledException)
                {
                    // cancelled first: also an answer
                }
            }

            Assert.Equal(0, slots.Free);
            foreach (var source in sources)
            {
                source.Dispose();
            }
        }
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
