using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace InProc.Benchmarks.Harness;

/// <summary>
/// The load client of the end-to-end run (bench/run-e2e.sh): <c>e2e-load BASE PATH DURATION [--concurrency N]
/// [--max-requests N]</c> keeps N requests in flight (closed loop) against BASE+PATH until DURATION (e.g. 30s) has
/// passed or N requests were sent, then prints p50/p99/max response time and requests per second.
/// <c>e2e-stats BASE [--timeout-seconds N]</c> waits until the app's /stats says every enqueued job ran. The paced
/// (open-loop) variant is <c>e2e-paced</c> (<see cref="E2EPacedLoad"/>).
/// Only loopback addresses are accepted: this is for a server on this machine.
/// </summary>
public static class E2ELoadClient
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: e2e-load http://127.0.0.1:5090 /inline 30s [--concurrency 64] [--max-requests 200000]");
            return 2;
        }

        var target = LoopbackUri(args[0], args[1]);
        var duration = ParseDuration(args[2]);
        var concurrency = LatencyHarness.IntArg(args, "--concurrency", 64);
        var maxRequests = LatencyHarness.IntArg(args, "--max-requests", 200_000);
        var method = args.Contains("--post") ? HttpMethod.Post : HttpMethod.Get;

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };

        // Warm-up: a few requests so connection setup and the server's JIT are not in the numbers.
        for (var i = 0; i < Math.Min(concurrency, 20); i++)
        {
            using var warm = await client.SendAsync(new HttpRequestMessage(method, target));
        }

        var latencies = new long[maxRequests];
        var issued = -1;
        var completed = 0;
        var errors = 0;
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var loops = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var index = Interlocked.Increment(ref issued);
                if (index >= maxRequests)
                {
                    return;
                }

                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(new HttpRequestMessage(method, target));
                    if (response.IsSuccessStatusCode)
                    {
                        latencies[Interlocked.Increment(ref completed) - 1] = Stopwatch.GetTimestamp() - sent;
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
                catch (TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToArray();
        await Task.WhenAll(loops);
        var elapsed = Stopwatch.GetElapsedTime(start);

        var p = Percentiles.FromTicks(latencies, completed);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {args[1]} | {concurrency} | {elapsed.TotalSeconds:N1} | {completed:N0} | {errors:N0} | {completed / elapsed.TotalSeconds:N0} | {p.P50 / 1000:N1} | {p.P99 / 1000:N1} | {p.Max / 1000:N1} |"));
        return errors == 0 ? 0 : 1;
    }

    /// <summary>Polls BASE/stats until completed == enqueued (and nothing failed or was abandoned).</summary>
    public static async Task<int> WaitForDrainAsync(string[] args)
    {
        var target = LoopbackUri(args[0], "/stats");
        var timeout = TimeSpan.FromSeconds(LatencyHarness.IntArg(args, "--timeout-seconds", 120));
        using var client = new HttpClient();
        var start = Stopwatch.GetTimestamp();
        while (true)
        {
            var stats = await client.GetFromJsonAsync<E2EStats>(target) ?? throw new InvalidOperationException("/stats returned nothing.");
            var drained = stats.Completed == stats.Enqueued && stats.Running == 0 && stats.Waiting == 0;
            if (drained || Stopwatch.GetElapsedTime(start) > timeout)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"jobs enqueued: {stats.Enqueued:N0}, completed: {stats.Completed:N0}, failed: {stats.Failed:N0}, abandoned: {stats.Abandoned:N0}, waiting: {stats.Waiting:N0}, running: {stats.Running:N0} -> {(drained && stats.Failed == 0 && stats.Abandoned == 0 ? "every enqueued job ran" : "NOT every enqueued job ran")}"));
                return drained && stats.Failed == 0 && stats.Abandoned == 0 ? 0 : 1;
            }

            await Task.Delay(500);
        }
    }

    internal static Uri LoopbackUri(string baseUrl, string path)
    {
        var uri = new Uri(new Uri(baseUrl), path);
        if (!uri.IsLoopback && !(IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address)))
        {
            throw new ArgumentException($"{uri} is not a loopback address; the load client only targets this machine.", nameof(baseUrl));
        }

        return uri;
    }

    internal static TimeSpan ParseDuration(string text) =>
        text.EndsWith('s') ? TimeSpan.FromSeconds(double.Parse(text[..^1], CultureInfo.InvariantCulture))
        : TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture));

    private sealed record E2EStats(long Enqueued, long Completed, long Failed, long Abandoned, int Waiting, int Running);
}
