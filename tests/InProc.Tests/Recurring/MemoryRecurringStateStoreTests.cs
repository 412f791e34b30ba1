using InProc.Recurring;
using InProc.Tests.Support;

namespace InProc.Tests.Recurring;

public sealed class MemoryRecurringStateStoreTests
{
    private static readonly DateTimeOffset Slot = new(2026, 5, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetLastSlotAsync_NeverClaimed_IsNull()
    {
        var store = new MemoryRecurringStateStore();

        Assert.Null(await store.GetLastSlotAsync("purge"));
    }

    [Fact]
    public async Task TryClaimSlotAsync_FirstClaim_SucceedsAndIsTheLastSlot()
    {
        var store = new MemoryRecurringStateStore();

        Assert.True(await store.TryClaimSlotAsync("purge", Slot));
        Assert.Equal(Slot, await store.GetLastSlotAsync("purge"));
        Assert.Null(await store.GetLastSlotAsync("Purge"));
    }

    [Fact]
    public async Task TryClaimSlotAsync_SameSlotAgain_Fails()
    {
        var store = new MemoryRecurringStateStore();
        await store.TryClaimSlotAsync("purge", Slot);

        Assert.False(await store.TryClaimSlotAsync("purge", Slot));
        Assert.False(await store.TryClaimSlotAsync("purge", Slot.ToOffset(TimeSpan.FromHours(2))));
    }

    [Fact]
    public async Task TryClaimSlotAsync_OlderSlot_FailsAndKeepsTheLater()
    {
        var store = new MemoryRecurringStateStore();
        await store.TryClaimSlotAsync("purge", Slot);

        Assert.False(await store.TryClaimSlotAsync("purge", Slot.AddDays(-1)));
        Assert.Equal(Slot, await store.GetLastSlotAsync("purge"));
    }

    [Fact]
    public async Task TryClaimSlotAsync_LaterSlot_SucceedsStoredInUtc()
    {
        var store = new MemoryRecurringStateStore();
        await store.TryClaimSlotAsync("purge", Slot);

        Assert.True(await store.TryClaimSlotAsync("purge", Slot.AddDays(1).ToOffset(TimeSpan.FromHours(2))));
        var last = await store.GetLastSlotAsync("purge");
        Assert.Equal(Slot.AddDays(1), last);
        Assert.Equal(TimeSpan.Zero, last!.Value.Offset);
    }

    [Fact]
    public async Task TryClaimSlotAsync_ContendedByFourThreads_ExactlyOneWinsEachSlot()
    {
        var store = new MemoryRecurringStateStore();
        const int Rounds = 50;
        const int Contenders = 4;
        for (var round = 0; round < Rounds; round++)
        {
            var slot = Slot.AddMinutes(round);
            using var go = new ManualResetEventSlim();
            var claims = Enumerable.Range(0, Contenders)
                .Select(_ => Task.Factory.StartNew(
                    () =>
                    {
                        go.Wait(TestHost.Patience);
                        return store.TryClaimSlotAsync("contended", slot).AsTask().GetAwaiter().GetResult();
                    },
                    CancellationToken.None,
                    TaskCreationOptions.LongRunning,
                    TaskScheduler.Default))
                .ToArray();
            go.Set();

            var won = await Task.WhenAll(claims).WaitAsync(TestHost.Patience);

            Assert.Equal(1, won.Count(w => w));
        }

        Assert.Equal(Slot.AddMinutes(Rounds - 1), await store.GetLastSlotAsync("contended"));
    }
}
