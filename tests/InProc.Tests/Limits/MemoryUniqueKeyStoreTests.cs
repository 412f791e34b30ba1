using InProc.Limits;

namespace InProc.Tests.Limits;

public sealed class MemoryUniqueKeyStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static UniqueKey Key(string value) => new("Job", value);

    [Fact]
    public async Task TryClaimAsync_HeldKey_ReturnsTheHolderUntilItExpires()
    {
        var store = new MemoryUniqueKeyStore();
        var first = JobIdFor(1);
        Assert.True((await store.TryClaimAsync(Key("a"), first, Now.AddMinutes(1), Now)).Claimed);

        var held = await store.TryClaimAsync(Key("a"), JobIdFor(2), Now.AddMinutes(1), Now.AddSeconds(59));
        var expired = await store.TryClaimAsync(Key("a"), JobIdFor(3), Now.AddMinutes(2), Now.AddMinutes(1));

        Assert.Equal(UniqueClaim.HeldBy(first), held);
        Assert.True(expired.Claimed);
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task Release_ByAnOlderHolder_KeepsTheNewerClaim()
    {
        var store = new MemoryUniqueKeyStore();
        await store.TryClaimAsync(Key("a"), JobIdFor(1), Now.AddMinutes(1), Now);
        await store.TryClaimAsync(Key("a"), JobIdFor(2), Now.AddMinutes(5), Now.AddMinutes(2)); // the first expired

        store.Release(Key("a"), JobIdFor(1));
        store.Release(Key("b"), JobIdFor(1)); // unknown: nothing

        Assert.Equal(UniqueClaim.HeldBy(JobIdFor(2)), await store.TryClaimAsync(Key("a"), JobIdFor(3), Now.AddMinutes(5), Now.AddMinutes(3)));
        store.Release(Key("a"), JobIdFor(2));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task TryClaimAsync_RacingClaimsOfOneKey_ExactlyOneWins()
    {
        var store = new MemoryUniqueKeyStore();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(1, 8).Select(n => Task.Run(async () =>
        {
            await go.Task; // all released at once, each continuing on its own pool thread
            return (Id: JobIdFor(n), Claim: await store.TryClaimAsync(Key("a"), JobIdFor(n), Now.AddMinutes(1), Now));
        })).ToList();
        go.SetResult();
        var results = await Task.WhenAll(racers);

        var winner = Assert.Single(results, r => r.Claim.Claimed);
        Assert.All(results.Where(r => !r.Claim.Claimed), r => Assert.Equal(winner.Id, r.Claim.Holder));
    }

    [Fact]
    public async Task TryClaimAsync_ManyExpiredKeys_AreSweptSoMemoryFollowsLiveKeys()
    {
        var store = new MemoryUniqueKeyStore();
        for (var i = 0; i < 5_000; i++)
        {
            await store.TryClaimAsync(Key($"k{i}"), JobIdFor(i), Now.AddSeconds(1), Now); // a window's keys, never released
        }

        await store.TryClaimAsync(Key("late"), JobIdFor(1), Now.AddMinutes(10), Now.AddMinutes(1));
        for (var i = 0; i < 3_300; i++)
        {
            await store.TryClaimAsync(Key($"m{i}"), JobIdFor(i), Now.AddMinutes(10), Now.AddMinutes(1));
        }

        Assert.Equal(3_301, store.Count); // swept when the count doubled past 8,192: only the live keys are left
    }

    [Theory]
    [InlineData(42, "42")]
    [InlineData(1.5, "1.5")]
    [InlineData("text", "text")]
    public void KeyText_Of_UsesTheInvariantCulture(object value, string expected) => Assert.Equal(expected, KeyText.Of(value));

    [Fact]
    public void KeyText_OfTuples_KeepsElementBoundaries() =>
        Assert.NotEqual(KeyText.Of(("a,b", "c")), KeyText.Of(("a", "b,c")));

    private static JobId JobIdFor(int n) => new(Now.ToUnixTimeMilliseconds(), n);
}
