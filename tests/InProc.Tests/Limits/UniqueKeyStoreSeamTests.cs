using System.Collections.Concurrent;
using InProc.Limits;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Limits;

/// <summary>The seam a durable store plugs into: a registered <see cref="IUniqueKeyStore"/> is the one the runtime uses.</summary>
public sealed class UniqueKeyStoreSeamTests
{
    [Fact]
    public async Task Runtime_StoreRegistered_ClaimsAndReleasesThroughIt()
    {
        var store = new RecordingKeyStore();
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<KeyedJob, Keyed>(j => j.UniqueBy(m => (m.Key, m.Number))),
            s => s.AddSingleton<KeyTracker>().AddSingleton<IUniqueKeyStore>(store));
        var waiter = FeedWaiter.Attach(host.Services);

        var id = await host.Jobs.EnqueueAsync(new Keyed("order", 7));
        await waiter.WhenAsync(id, JobState.Succeeded);

        Assert.Equal([$"claim Keyed:order\u001f7 by {id}", $"release Keyed:order\u001f7 by {id}"], store.Calls);
    }

    private sealed class RecordingKeyStore : IUniqueKeyStore
    {
        private readonly MemoryUniqueKeyStore _inner = new();

        public ConcurrentQueue<string> Calls { get; } = new();

        public int Count => _inner.Count;

        public ValueTask<UniqueClaim> TryClaimAsync(UniqueKey key, JobId holder, DateTimeOffset expiresAt, DateTimeOffset now)
        {
            Calls.Enqueue($"claim {key.JobType.Split('.')[^1].Split('+')[^1]}:{key.Value} by {holder}");
            return _inner.TryClaimAsync(key, holder, expiresAt, now);
        }

        public void Release(UniqueKey key, JobId holder)
        {
            Calls.Enqueue($"release {key.JobType.Split('.')[^1].Split('+')[^1]}:{key.Value} by {holder}");
            _inner.Release(key, holder);
        }
    }
}
