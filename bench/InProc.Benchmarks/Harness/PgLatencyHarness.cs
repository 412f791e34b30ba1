using System.Diagnostics;
using System.Globalization;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;
using InProc.PostgreSql;

namespace InProc.Benchmarks.Harness;

/// <summary>
/// Issue 14 — enqueue-to-start latency on the PostgreSQL store, with NOTIFY against polling only
/// (<c>pg-latency --count 200 --rate 20</c>). Per setting: a fresh schema, one idle started host (4 workers) and a
/// second, never started, InProc instance in the same process as the producer, with its own connection pool: a job
/// enqueued there reaches the host only through the database (a NOTIFY or the host's poll), as from another process,
/// while both ends read one clock. A dedicated thread enqueues <c>--count</c> jobs at <c>--rate</c> per second (each
/// awaited: the commit is in the latency); the job body stamps its start. Settings: notifications on (poll 1 s, the
/// default), off with the default 1 s poll, off with a 100 ms poll.
/// </summary>
internal static class PgLatencyHarness
{
    private static long[] _startedAt = [];

    public static void Started(int index) => _startedAt[index] = Stopwatch.GetTimestamp();

    public static async Task<int> RunAsync(string[] args)
    {
        var count = LatencyHarness.IntArg(args, "--count", 200);
        var rate = LatencyHarness.IntArg(args, "--rate", 20);
        Console.WriteLine($"pg-latency: {count} jobs at {rate}/s per setting, one idle host with 4 workers, {Environment.ProcessorCount} cores. Load average {PgBench.LoadAverage()}.");
        Console.WriteLine();
        Console.WriteLine("| setting | jobs | p50 ms | p90 ms | p99 ms | max ms | load avg after |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
        var settings = new (string Name, bool Notify, TimeSpan Poll)[]
        {
            ("NOTIFY on, poll 1 s", true, TimeSpan.FromSeconds(1)),
            ("poll only, 1 s", false, TimeSpan.FromSeconds(1)),
            ("poll only, 100 ms", false, TimeSpan.FromMilliseconds(100)),
        };
        foreach (var (name, notify, poll) in settings)
        {
            var p = await RunOnceAsync(notify, poll, count, rate);
            Console.WriteLine(FormattableString.Invariant(
                $"| {name} | {p.Count} | {p.P50 / 1000:N2} | {p.P90 / 1000:N2} | {p.P99 / 1000:N2} | {p.Max / 1000:N2} | {PgBench.LoadAverage()} |"));
        }

        return 0;
    }

    private static async Task<Percentiles> RunOnceAsync(bool notify, TimeSpan poll, int count, int rate)
    {
        var schema = PgBench.NewSchema("l_ip");
        void Configure(PostgreSqlOptions o) => (o.UseNotifications, o.PollInterval) = (notify, poll);
        try
        {
            await using var host = new InProcPgPeer(schema, 4, start: true, Configure);
            await using var producer = new InProcPgPeer(schema, 4, start: false, Configure);
            await Paced(producer, 10, rate, null); // warm-up: the JIT, both pools' connections
            var enqueuedAt = new long[count];
            _startedAt = new long[count];
            await Paced(producer, count, rate, enqueuedAt);
            var deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
            while (Array.IndexOf(_startedAt, 0L) >= 0 && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(10); // the last jobs are at most a poll away
            }

            var latencies = new long[count];
            var n = 0;
            for (var i = 0; i < count; i++)
            {
                if (_startedAt[i] != 0)
                {
                    latencies[n++] = _startedAt[i] - enqueuedAt[i];
                }
            }

            return Percentiles.FromTicks(latencies, n);
        }
        finally
        {
            PgBench.Drop(schema);
        }
    }

    /// <summary>Enqueues <paramref name="count"/> latency jobs at <paramref name="rate"/> per second from one dedicated thread, stamping each call's start (none in the warm-up, <paramref name="enqueuedAt"/> null).</summary>
    private static Task Paced(InProcPgPeer producer, int count, int rate, long[]? enqueuedAt)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < count; i++)
                {
                    Pacer.SleepUntil(start + (i * Stopwatch.Frequency / rate));
                    if (enqueuedAt is not null)
                    {
                        enqueuedAt[i] = Stopwatch.GetTimestamp();
                    }

                    producer.Queue.EnqueueAsync(new PgLatencyMessage(enqueuedAt is null ? -1 : i)).AsTask().GetAwaiter().GetResult();
                }

                done.SetResult();
            }
#pragma warning disable CA1031 // handed to the awaiting caller
            catch (Exception ex)
#pragma warning restore CA1031
            {
                done.SetException(ex);
            }
        });
        thread.Start();
        return done.Task;
    }
}

/// <summary>The PostgreSQL latency job's message: its slot in the run (-1 in the warm-up).</summary>
public sealed record PgLatencyMessage(int Index);

public sealed class PgLatencyJob : IJob<PgLatencyMessage>
{
    public Task RunAsync(PgLatencyMessage message, JobContext context)
    {
        if (message.Index >= 0)
        {
            PgLatencyHarness.Started(message.Index);
        }

        return Task.CompletedTask;
    }
}
