using System.Globalization;
using InProc.Limits;

namespace InProc.Benchmarks.Harness;

/// <summary>
/// Issue 13 — memory per held key: <c>--keys</c> unique keys claimed in the memory key store, concurrency keys each with
/// one running job, and rate-limit keys each with a partially used window. "retained" is <see cref="GC.GetTotalMemory(bool)"/>
/// after a full collection, after minus before, divided by the key count; the key text (<c>order-123456</c>, 12 chars)
/// is included, as a real key's would be.
/// </summary>
public static class LimitsMemoryHarness
{
    public static Task<int> RunAsync(string[] args)
    {
        var keys = LatencyHarness.IntArg(args, "--keys", 1_000_000);
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Console.WriteLine($"Memory per held key: {keys:N0} keys; GC = {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}.");
        Console.WriteLine();
        Console.WriteLine("| what | keys | retained B/key | retained MB |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");

        var names = Enumerable.Range(0, keys).Select(i => "order-" + i.ToString("D6", CultureInfo.InvariantCulture)).ToArray();
        var before = Retained();
        var texts = names.Select(n => new string(n)).ToArray();
        Report("key text alone (12-char string)", keys, before, Retained());

        var store = new MemoryUniqueKeyStore();
        before = Retained();
        for (var i = 0; i < keys; i++)
        {
            store.TryClaimAsync(new UniqueKey("Orders.ChargeCard", new string(names[i])), new JobId(now.ToUnixTimeMilliseconds(), i), now.AddHours(1), now).GetAwaiter().GetResult();
        }

        Report("unique key held (memory store, key text included)", keys, before, Retained());

        var gate = new ConcurrencyGate(4);
        var states = new LimitState[keys];
        before = Retained();
        for (var i = 0; i < keys; i++)
        {
            states[i] = new LimitState();
            states[i].SetKeys(new string(names[i]), null);
            gate.TryEnter(null!, states[i], now.UtcTicks);
        }

        Report("concurrency key with 1 running (gate entry + job's LimitState, key text included)", keys, before, Retained());

        var rate = new RateGate(RateLimitSpec.PerSecond(10));
        before = Retained();
        for (var i = 0; i < keys; i++)
        {
            rate.TryAcquire(new string(names[i]), now, out _);
        }

        Report("rate-limit key, token bucket in use (key text included)", keys, before, Retained());

        // Everything measured stays alive to the end, so a later "before" is not lowered by an earlier structure's collection.
        GC.KeepAlive(texts);
        GC.KeepAlive(store);
        GC.KeepAlive(gate);
        GC.KeepAlive(states);
        GC.KeepAlive(rate);
        return Task.FromResult(0);
    }

    private static long Retained()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static void Report(string what, int keys, long before, long after) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {what} | {keys:N0} | {(after - before) / (double)keys:F0} | {(after - before) / 1048576.0:F1} |"));
}
