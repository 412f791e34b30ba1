using System.Diagnostics;
using System.Globalization;

namespace InProc.Benchmarks.Harness;

/// <summary>
/// Issue 8's "enqueue cost must not grow with Workers" scenario (<c>cpu-per-job</c>): process CPU time per job at a
/// paced rate (default 2,000 no-op jobs/s for 4 s) with 4, 100, 1,000 and 10,000 idle workers, for InProc (one queue
/// with that many workers), a bare bounded channel read by as many tasks looping on <c>ReadAsync</c> (one waiter woken
/// per item: the reference), and the same channel read with <c>WaitToReadAsync</c> + <c>TryRead</c> (InProc's loop
/// today: every idle waiter wakes on each write).
/// </summary>
/// <remarks>
/// Every configuration runs in a fresh child process (<c>cpu-per-job-one</c>, <see cref="CpuPerJobRun"/>), so thread
/// pool growth, JIT state and heap left by one configuration do not leak into the next; rounds alternate the peers.
/// BenchmarkDotNet cannot pace, hence a harness. CPU is <see cref="Process.TotalProcessorTime"/> (all threads, user +
/// system) over the measured window, divided by the jobs; the window includes the idle background, printed separately
/// per second so it can be told apart.
/// </remarks>
public static class CpuPerJobHarness
{
    private static readonly string[] DefaultPeers = [CpuPerJobRun.InProc, CpuPerJobRun.ReadAsyncChannel, CpuPerJobRun.WaitToReadChannel];

    public static async Task<int> RunAsync(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var rate = LatencyHarness.IntArg(args, "--rate", smoke ? 500 : 2_000);
        var seconds = CpuPerJobRun.DoubleArg(args, "--seconds", smoke ? 0.5 : 4);
        var warmup = CpuPerJobRun.DoubleArg(args, "--warmup-seconds", smoke ? 0.2 : 1);
        var idle = CpuPerJobRun.DoubleArg(args, "--idle-seconds", smoke ? 0.2 : 1);
        var rounds = LatencyHarness.IntArg(args, "--rounds", smoke ? 1 : 3);
        var workerCounts = CpuPerJobRun.StringArg(args, "--workers", smoke ? "4,1000" : "4,100,1000,10000")
            .Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray();
        var peers = CpuPerJobRun.StringArg(args, "--peers", string.Join(',', DefaultPeers)).Split(',');

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU per job: {rate} jobs/s paced for {seconds} s (after {warmup} s warm-up), workers {string.Join('/', workerCounts)}, {rounds} round(s), {Environment.ProcessorCount} cores, precise pacing: {Pacer.Precise}{(smoke ? " — SMOKE: tiny counts, numbers are noise" : "")}."));
        Console.WriteLine();
        Console.WriteLine("| round | workers | peer | jobs | CPU µs/job | producer CPU µs/job | wall s | GCs 0/1/2 | B/job | pacing lag p99 µs | idle CPU ms/s |");
        Console.WriteLine("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");

        var results = new List<CpuPerJobResult>();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var workers in workerCounts)
            {
                foreach (var peer in peers)
                {
                    var r = await RunChildAsync(peer, workers, rate, seconds, warmup, idle);
                    results.Add(r);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {round} | {r.Workers:N0} | {r.Peer} | {r.Jobs:N0} | {r.CpuUsPerJob:N1} | {r.ProducerUsPerJob:N1} | {r.WallSeconds:N2} | {r.Gen0}/{r.Gen1}/{r.Gen2} | {r.BytesPerJob:N0} | {r.LagP99Us:N1} | {r.IdleCpuMsPerSecond:N1} |"));
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("Median of the rounds' CPU µs/job (target: InProc ≤ 1.5× the ReadAsync channel at every size):");
        Console.WriteLine();
        Console.WriteLine("| workers | InProc | channel ReadAsync | channel WaitToReadAsync+TryRead | InProc ÷ ReadAsync | WaitToRead ÷ ReadAsync |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var workers in workerCounts)
        {
            var inProc = Median(results, CpuPerJobRun.InProc, workers);
            var readAsync = Median(results, CpuPerJobRun.ReadAsyncChannel, workers);
            var waitToRead = Median(results, CpuPerJobRun.WaitToReadChannel, workers);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {workers:N0} | {inProc:N1} | {readAsync:N1} | {waitToRead:N1} | {inProc / readAsync:N2} | {waitToRead / readAsync:N2} |"));
        }

        return 0;
    }

    private static double Median(List<CpuPerJobResult> results, string peer, int workers)
    {
        var values = results.Where(r => r.Peer == peer && r.Workers == workers).Select(r => r.CpuUsPerJob).Order().ToArray();
        return values.Length == 0 ? double.NaN : values[values.Length / 2];
    }

    private static async Task<CpuPerJobResult> RunChildAsync(string peer, int workers, int rate, double seconds, double warmup, double idle)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(typeof(CpuPerJobHarness).Assembly.Location);
        }

        foreach (var arg in new[]
        {
            "cpu-per-job-one", "--peer", peer, "--workers", workers.ToString(CultureInfo.InvariantCulture),
            "--rate", rate.ToString(CultureInfo.InvariantCulture), "--seconds", seconds.ToString(CultureInfo.InvariantCulture),
            "--warmup-seconds", warmup.ToString(CultureInfo.InvariantCulture), "--idle-seconds", idle.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process.");
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120 + (seconds + warmup + idle) * 10));
        try
        {
            await child.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw new TimeoutException($"cpu-per-job-one {peer} {workers} did not finish in time.");
        }

        var line = (await stdout).Split('\n').FirstOrDefault(l => l.StartsWith(CpuPerJobResult.Prefix, StringComparison.Ordinal));
        return child.ExitCode == 0 && line is not null
            ? CpuPerJobResult.Parse(line.TrimEnd())
            : throw new InvalidOperationException($"cpu-per-job-one {peer} {workers} failed (exit {child.ExitCode}): {await stdout}{await stderr}");
    }
}
