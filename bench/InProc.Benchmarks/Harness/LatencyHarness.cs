using System.Diagnostics;
using System.Globalization;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;

namespace InProc.Benchmarks.Harness;

/// <summary>
/// Scenario 3 — enqueue-to-start latency at a steady rate (default 2,000 jobs/s for 5 s, 4 workers, capacity 1,000),
/// InProc against the raw channel, the MS-docs queue, Quartz, Coravel and Hangfire (<c>--peers raw,inproc</c> to pick).
/// </summary>
/// <remarks>
/// <para>Pacing: one dedicated producer thread (not a pool thread) owns a schedule of slots, slot i at
/// t0 + i / rate on the <see cref="Stopwatch"/> clock. Before each slot it spins: <see cref="Thread.Yield"/> while more
/// than 50 µs remain (so a worker that needs the core can have it), <see cref="Thread.SpinWait"/> for the last stretch.
/// No <c>Thread.Sleep</c>: its ~1 ms granularity is twice the 500 µs period. The producer therefore keeps one of the two
/// cores busy, as a busy request thread would.</para>
/// <para>Measuring: the producer stamps <see cref="Stopwatch.GetTimestamp"/> into a preallocated array just before it
/// calls the enqueue API; the job body stamps its own start into a second array indexed by the message's slot number.
/// Latency is start − enqueue, so it includes the enqueue call, the channel, the wake-up of a worker and, for InProc,
/// everything before the job's own code (record, DI scope, job resolution). "lag" is how late the producer was against
/// its slot (coordinated omission check: if it is large, the rate was not really held).</para>
/// <para>Each peer first runs 1 s unmeasured to warm the JIT; then rounds alternate the peers so noise from the
/// shared machine hits all of them alike. The pooled row merges the samples of all rounds.</para>
/// </remarks>
public static class LatencyHarness
{
    private static long[] _startedAt = [];

    /// <summary>Called by the job body with the message's slot number.</summary>
    public static void Started(int index) => _startedAt[index] = Stopwatch.GetTimestamp();

    public static async Task<int> RunAsync(string[] args)
    {
        var rate = IntArg(args, "--rate", 2_000);
        var seconds = IntArg(args, "--seconds", 5);
        var rounds = IntArg(args, "--rounds", 3);
        var workers = IntArg(args, "--workers", 4);
        var capacity = IntArg(args, "--capacity", 1_000);
        Console.WriteLine($"Latency: {rate} jobs/s for {seconds} s per run, {rounds} rounds, {workers} workers, capacity {capacity}, {Environment.ProcessorCount} cores.");

        var only = CpuPerJobRun.StringArg(args, "--peers", "raw,msdocs,inproc,quartz,coravel,hangfire").Split(',');
        var peers = AllPeers(workers, capacity).Where(p => only.Contains(p.Key)).ToArray();
        Console.WriteLine($"Peers: {string.Join(", ", peers.Select(p => p.Name))}. Coravel consumes on a 1 s timer (its least ConsummationDelay); Hangfire runs {workers} worker threads.");

        var pooled = peers.Select(_ => new List<long>()).ToArray();
        var roundP99 = peers.Select(_ => new List<double>()).ToArray();
        var lagPooled = peers.Select(_ => new List<long>()).ToArray();
        foreach (var peer in peers)
        {
            await RunOnceAsync(peer.Create, peer.Enqueue, rate, 1); // warm-up
        }

        Console.WriteLine();
        Console.WriteLine("| peer | round | jobs | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | producer lag p99 µs | GCs gen0/1/2 | GC pause ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (var round = 1; round <= rounds; round++)
        {
            for (var p = 0; p < peers.Length; p++)
            {
                var (latencies, lags, gc) = await RunOnceAsync(peers[p].Create, peers[p].Enqueue, rate, seconds);
                pooled[p].AddRange(latencies);
                lagPooled[p].AddRange(lags);
                roundP99[p].Add(Percentiles.FromTicks([.. latencies], latencies.Length).P99);
                Print(peers[p].Name, round.ToString(CultureInfo.InvariantCulture), latencies, lags, gc);
            }
        }

        for (var p = 0; p < peers.Length; p++)
        {
            Print(peers[p].Name, "pooled", [.. pooled[p]], [.. lagPooled[p]], "– | –");
        }

        Console.WriteLine();
        for (var p = 0; p < peers.Length; p++)
        {
            var sorted = roundP99[p].Order().ToArray();
            Console.WriteLine($"{peers[p].Name}: median of the rounds' p99 = {Percentiles.Us(sorted[sorted.Length / 2])} µs (rounds: {string.Join(", ", roundP99[p].Select(Percentiles.Us))})");
        }

        return 0;
    }

    private static (string Key, string Name, Func<int, IAsyncDisposable> Create, Func<IAsyncDisposable, int, ValueTask> Enqueue)[] AllPeers(int workers, int capacity) =>
    [
        ("raw", "raw channel", _ => new RawChannelPeer<LatencyMessage>(workers, capacity, static m => { Started(m.Index); return Work.RunNoop(); }),
            static (p, i) => ((RawChannelPeer<LatencyMessage>)p).Writer.WriteAsync(new LatencyMessage(i))),
        ("msdocs", "MS-docs queue", _ => new MsDocsPeer(workers, capacity),
            static (p, i) => ((MsDocsPeer)p).Queue.QueueBackgroundWorkItemAsync(_ => { Started(i); return new ValueTask(Work.RunNoop()); })),
        ("inproc", "InProc", _ => new InProcPeer(workers, capacity),
            static async (p, i) => await ((InProcPeer)p).Queue.EnqueueAsync(new LatencyMessage(i))),
        ("quartz", "Quartz", _ => QuartzPeer.StartAsync(workers).GetAwaiter().GetResult(),
            static (p, i) => ((QuartzPeer)p).EnqueueLatencyAsync(i)),
        ("coravel", "Coravel", _ => new CoravelPeer(startHost: true),
            static (p, i) =>
            {
                ((CoravelPeer)p).Queue.QueueInvocableWithPayload<CoravelLatencyInvocable, LatencyMessage>(new LatencyMessage(i));
                return default;
            }),
        ("hangfire", "Hangfire", _ => new HangfirePeer(workers),
            static (p, i) =>
            {
                ((HangfirePeer)p).EnqueueLatency(i);
                return default;
            }),
    ];

    private static void Print(string name, string round, long[] latencies, long[] lags, string gc)
    {
        var l = Percentiles.FromTicks(latencies, latencies.Length);
        var g = Percentiles.FromTicks(lags, lags.Length);
        Console.WriteLine($"| {name} | {round} | {l.Count:N0} | {Percentiles.Us(l.P50)} | {Percentiles.Us(l.P90)} | {Percentiles.Us(l.P99)} | {Percentiles.Us(l.P999)} | {Percentiles.Us(l.Max)} | {Percentiles.Us(g.P99)} | {gc} |");
    }

    private static async Task<(long[] Latencies, long[] Lags, string Gc)> RunOnceAsync(
        Func<int, IAsyncDisposable> create, Func<IAsyncDisposable, int, ValueTask> enqueue, int rate, int seconds)
    {
        var count = rate * seconds;
        var enqueuedAt = new long[count];
        var lag = new long[count];
        _startedAt = new long[count];
        var peer = create(count);
        (int, int, int, TimeSpan) gcBefore = default;
        string gc;
        try
        {
            var batch = Work.Done.Reset(count);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

            Exception? failure = null;
            var producer = new Thread(() =>
            {
                try
                {
                    Produce(peer, enqueue, rate, enqueuedAt, lag);
                }
#pragma warning disable CA1031 // Reported on the main thread.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    failure = ex;
                }
            })
            { IsBackground = true, Name = "latency producer" };
            producer.Start();
            producer.Join();
            if (failure is not null)
            {
                throw new InvalidOperationException("The producer failed.", failure);
            }

            Countdown.Wait(batch, TimeSpan.FromSeconds(30), "latency run");
            gc = string.Create(CultureInfo.InvariantCulture,
                $"{GC.CollectionCount(0) - gcBefore.Item1}/{GC.CollectionCount(1) - gcBefore.Item2}/{GC.CollectionCount(2) - gcBefore.Item3} | {(GC.GetTotalPauseDuration() - gcBefore.Item4).TotalMilliseconds:N1}");
        }
        finally
        {
            await peer.DisposeAsync();
        }

        var latencies = new long[count];
        for (var i = 0; i < count; i++)
        {
            latencies[i] = _startedAt[i] - enqueuedAt[i];
        }

        return (latencies, lag, gc);
    }

    private static void Produce(IAsyncDisposable peer, Func<IAsyncDisposable, int, ValueTask> enqueue, int rate, long[] enqueuedAt, long[] lag)
    {
        var period = (double)Stopwatch.Frequency / rate;
        var spinThreshold = Stopwatch.Frequency / 20_000; // 50 µs
        var t0 = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100; // start 10 ms from now
        for (var i = 0; i < enqueuedAt.Length; i++)
        {
            var slot = t0 + (long)(i * period);
            long now;
            while ((now = Stopwatch.GetTimestamp()) < slot)
            {
                if (slot - now > spinThreshold)
                {
                    Thread.Yield();
                }
                else
                {
                    Thread.SpinWait(20);
                }
            }

            lag[i] = now - slot;
            enqueuedAt[i] = now;
            var pending = enqueue(peer, i);
            if (!pending.IsCompletedSuccessfully)
            {
                pending.AsTask().GetAwaiter().GetResult(); // only if the queue is full: the rate is too high
            }
        }
    }

    internal static int IntArg(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
