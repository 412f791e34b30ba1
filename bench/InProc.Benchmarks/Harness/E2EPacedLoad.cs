using System.Diagnostics;
using System.Globalization;

namespace InProc.Benchmarks.Harness;

/// <summary>
/// The paced (open-loop) load of bench/run-e2e.sh: <c>e2e-paced BASE DURATION --rate R --paths /empty,/enqueue
/// [--rounds N] [--post] [--max-in-flight N] [--warmup-seconds S]</c> sends request i at t0 + i / R (well below
/// saturation), alternating the paths round by round against the same running app, and prints p50/p90/p99/max per
/// path plus the difference of the medians against the first path (the reference, e.g. the empty endpoint).
/// </summary>
/// <remarks>
/// Latency runs from the request's <em>scheduled</em> send time, so a late send is counted against the server rather
/// than hidden (no coordinated omission). A dedicated thread sleeps until each slot (<see cref="Pacer"/>: no spinning)
/// and starts the request; at most <c>--max-in-flight</c> requests are outstanding, beyond that a slot is dropped and
/// counted as an error. Bounded: DURATION × rate requests per path and round, loopback addresses only.
/// </remarks>
internal static class E2EPacedLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: e2e-paced http://127.0.0.1:5090 10s --rate 2000 --paths /empty,/enqueue [--rounds 1] [--post]");
            return 2;
        }

        var duration = E2ELoadClient.ParseDuration(args[1]);
        var rate = LatencyHarness.IntArg(args, "--rate", 2_000);
        var rounds = LatencyHarness.IntArg(args, "--rounds", 1);
        var maxInFlight = LatencyHarness.IntArg(args, "--max-in-flight", 512);
        var warmup = CpuPerJobRun.DoubleArg(args, "--warmup-seconds", 1);
        var paths = CpuPerJobRun.StringArg(args, "--paths", "/empty,/enqueue").Split(',');
        var targets = paths.Select(p => E2ELoadClient.LoopbackUri(args[0], p)).ToArray();
        var method = args.Contains("--post") ? HttpMethod.Post : HttpMethod.Get;
        var count = (int)(rate * duration.TotalSeconds);

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = maxInFlight, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };

        // Warm-up, unmeasured: the same rate, so the connections the measured run needs exist and the server is jitted.
        foreach (var target in targets)
        {
            await RunOnceAsync(client, method, target, rate, (int)(rate * warmup), maxInFlight);
        }

        var all = paths.Select(_ => new List<long>()).ToArray();
        var errors = new int[paths.Length];
        Console.WriteLine("| endpoint | round | rate/s | requests | errors | achieved/s | p50 ms | p90 ms | p99 ms | max ms | send lag p99 ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (var round = 1; round <= rounds; round++)
        {
            for (var p = 0; p < paths.Length; p++)
            {
                var run = await RunOnceAsync(client, method, targets[p], rate, count, maxInFlight);
                all[p].AddRange(run.Latencies);
                errors[p] += run.Errors;
                var l = Percentiles.FromTicks([.. run.Latencies], run.Latencies.Length);
                var g = Percentiles.FromTicks(run.Lags, run.Lags.Length);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {paths[p]} | {round} | {rate:N0} | {run.Latencies.Length:N0} | {run.Errors:N0} | {run.Latencies.Length / run.Elapsed.TotalSeconds:N0} | {l.P50 / 1000:N2} | {l.P90 / 1000:N2} | {l.P99 / 1000:N2} | {l.Max / 1000:N1} | {g.P99 / 1000:N2} |"));
            }
        }

        Console.WriteLine();
        var reference = Percentiles.FromTicks([.. all[0]], all[0].Count);
        for (var p = 0; p < paths.Length; p++)
        {
            var l = Percentiles.FromTicks([.. all[p]], all[p].Count);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{paths[p]}: all rounds p50 {l.P50 / 1000:N2} ms, p99 {l.P99 / 1000:N2} ms; p50 − {paths[0]} p50 = {(l.P50 - reference.P50) / 1000:N2} ms, p99 − {paths[0]} p99 = {(l.P99 - reference.P99) / 1000:N2} ms; errors {errors[p]:N0}"));
        }

        return errors.Sum() == 0 ? 0 : 1;
    }

    private static async Task<PacedRun> RunOnceAsync(HttpClient client, HttpMethod method, Uri target, int rate, int count, int maxInFlight)
    {
        var latencies = new long[count];
        var ok = new bool[count];
        var lags = new long[count];
        var sends = new Task[count];
        var inFlight = 0;
        var start = Stopwatch.GetTimestamp();

        async Task SendAsync(int index, long slot)
        {
            try
            {
                using var response = await client.SendAsync(new HttpRequestMessage(method, target));
                latencies[index] = Stopwatch.GetTimestamp() - slot;
                ok[index] = response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }

        var pacer = new Thread(() =>
        {
            var period = (double)Stopwatch.Frequency / rate;
            var t0 = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
            for (var i = 0; i < count; i++)
            {
                var slot = t0 + (long)(i * period);
                Pacer.SleepUntil(slot);
                lags[i] = Stopwatch.GetTimestamp() - slot;
                if (Volatile.Read(ref inFlight) >= maxInFlight)
                {
                    sends[i] = Task.CompletedTask;
                    continue;
                }

                Interlocked.Increment(ref inFlight);
                sends[i] = SendAsync(i, slot);
            }
        })
        { IsBackground = true, Name = "e2e pacer" };
        pacer.Start();
        pacer.Join();
        await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(60));
        var elapsed = Stopwatch.GetElapsedTime(start);

        var succeeded = new List<long>(count);
        for (var i = 0; i < count; i++)
        {
            if (ok[i])
            {
                succeeded.Add(latencies[i]);
            }
        }

        return new PacedRun([.. succeeded], lags, count - succeeded.Count, elapsed);
    }

    private sealed record PacedRun(long[] Latencies, long[] Lags, int Errors, TimeSpan Elapsed);
}
