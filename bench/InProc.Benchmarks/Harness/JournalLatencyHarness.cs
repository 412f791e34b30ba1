using System.Diagnostics;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;
using InProc.Sqlite;

namespace InProc.Benchmarks.Harness;

/// <summary>
/// Issue 12: one caller's enqueue latency, each call timed from its start to its return (for the journal and Hangfire's
/// SQLite storage: to the commit that holds the job), with workers running the no-op jobs meanwhile. Memory store,
/// journal (Full and Normal) and Hangfire.Storage.SQLite in the same run: <c>journal-latency [count]</c>.
/// </summary>
public static class JournalLatencyHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3_000;
        Console.WriteLine($"Single-caller enqueue latency, {count} sequential calls after {count / 5} warm-up calls, 4 workers running the no-op jobs. Microseconds.");
        Console.WriteLine();
        Console.WriteLine("| store | p50 | p90 | p99 | max | enqueues/s (one caller) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");

        await using (var memory = new InProcPeer(4, 100_000))
        {
            await Measure("InProc, memory store (baseline)", count, () => memory.Queue.EnqueueAsync(NoopMessage.Instance));
        }

        await using (var journal = new JournalPeer(4, 100_000))
        {
            await Measure("InProc + SQLite journal, synchronous=FULL", count, () => journal.Queue.EnqueueAsync(NoopMessage.Instance));
        }

        await using (var journal = new JournalPeer(4, 100_000, SqliteSynchronous.Normal))
        {
            await Measure("InProc + SQLite journal, synchronous=NORMAL", count, () => journal.Queue.EnqueueAsync(NoopMessage.Instance));
        }

        await using (var hangfire = new HangfireSqlitePeer(4))
        {
            await Measure("Hangfire 1.8.25 + Hangfire.Storage.SQLite 0.4.3", count, () => new ValueTask<JobId>(Done(hangfire.EnqueueNoop())));
        }

        return 0;
    }

    private static JobId Done(string _) => default;

    private static async Task Measure(string name, int count, Func<ValueTask<JobId>> enqueue)
    {
        var warmup = count / 5;
        _ = Work.Done.Reset(warmup + count);
        for (var i = 0; i < warmup; i++)
        {
            await enqueue();
        }

        var samples = new long[count];
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            await enqueue();
            samples[i] = Stopwatch.GetTimestamp() - t0;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var p = Percentiles.FromTicks(samples, count);
        Console.WriteLine($"| {name} | {Percentiles.Us(p.P50)} | {Percentiles.Us(p.P90)} | {Percentiles.Us(p.P99)} | {Percentiles.Us(p.Max)} | {count / elapsed.TotalSeconds:N0} |");
    }
}
