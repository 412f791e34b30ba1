using System.Diagnostics;
using System.Globalization;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;

namespace InProc.Benchmarks.Harness;

/// <summary>
/// <c>profile [inproc|raw] [--workers N] [--seconds N]</c>: runs the throughput scenario's loop (batches of 200,000
/// no-op jobs, capacity 1,000 unless --capacity) for a while, so that <c>perf record</c> can sample it, and prints ns/job plus how much
/// of the wall time the GC paused the process. See bench/README.md, "Profiling".
/// </summary>
public static class ProfileHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var peerName = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "inproc";
        var workers = LatencyHarness.IntArg(args, "--workers", 1);
        var seconds = LatencyHarness.IntArg(args, "--seconds", 10);
        var capacity = LatencyHarness.IntArg(args, "--capacity", 1_000);
        const int Jobs = 200_000;

        await using var raw = peerName == "raw" ? new RawChannelPeer<NoopMessage>(workers, capacity, static _ => Work.RunNoop()) : null;
        await using var inProc = peerName == "raw" ? null : new InProcPeer(workers, capacity);
        var deadline = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
        var batches = 0;
        var gcBefore = GC.GetTotalPauseDuration();
        var counts = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var done = Work.Done.Reset(Jobs);
            for (var i = 0; i < Jobs; i++)
            {
                if (raw is not null)
                {
                    await raw.Writer.WriteAsync(NoopMessage.Instance);
                }
                else
                {
                    await inProc!.Queue.EnqueueAsync(NoopMessage.Instance);
                }
            }

            await done;
            batches++;
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var gc = GC.GetTotalPauseDuration() - gcBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{peerName}, {workers} workers, capacity {capacity}: {elapsed.TotalNanoseconds / ((double)batches * Jobs):N1} ns/job (wall), {cpu.TotalNanoseconds / ((double)batches * Jobs):N1} ns/job (CPU, all threads) over {batches} batches; GC paused {gc.TotalMilliseconds:N0} ms = {100 * gc / elapsed:N1}% of the time; collections gen0/1/2: {GC.CollectionCount(0) - counts.Item1}/{GC.CollectionCount(1) - counts.Item2}/{GC.CollectionCount(2) - counts.Item3}"));
        return 0;
    }
}
