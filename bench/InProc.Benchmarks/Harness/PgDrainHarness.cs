using System.Diagnostics;
using System.Globalization;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;

namespace InProc.Benchmarks.Harness;

/// <summary>
/// Issue 14 — drain rate with 1 and 3 host processes on one schema, InProc.PostgreSql and Hangfire.PostgreSql alike
/// (<c>pg-drain --jobs 10000 --hosts 1,3 --workers 20 --peers inproc,hangfire</c>). Per peer and host count: a fresh
/// schema; this process commits the jobs (16 concurrent producers, no host running: the enqueue rate is printed too);
/// then it starts the host processes (<c>pg-drain-host</c>, this same program), waits until every one has built its
/// host and said "ready", tells them all "go" at once, and polls the table every 50 ms until no job is left to do.
/// jobs/s = jobs ÷ (go → all Succeeded); per core = ÷ the machine's cores, with the database on the same machine.
/// Transactions per job: the server's committed transactions (pg_stat_database, every statement outside a transaction
/// is one; the 50 ms poll of this harness adds about one per 50 ms) from "go" until the hosts exited, ÷ jobs. CPU:
/// the host processes' own (from "go" to their exit) and the server's (<see cref="PgServerCpu"/>, the same span, with
/// this harness's polls): on a shared machine the CPU per job is steadier than the wall time.
/// </summary>
internal static class PgDrainHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var jobs = LatencyHarness.IntArg(args, "--jobs", 10_000);
        var workers = LatencyHarness.IntArg(args, "--workers", 20);
        var hostCounts = CpuPerJobRun.StringArg(args, "--hosts", "1,3").Split(',').Select(int.Parse).ToArray();
        var peers = CpuPerJobRun.StringArg(args, "--peers", "inproc,hangfire").Split(',');
        var rounds = LatencyHarness.IntArg(args, "--rounds", 1);
        Console.WriteLine($"pg-drain: {jobs} no-op jobs, {workers} workers per host, {Environment.ProcessorCount} cores (the server shares them). Load average {PgBench.LoadAverage()}.");
        Console.WriteLine();
        Console.WriteLine("| peer | hosts | enqueue jobs/s (16 producers) | drain s | drain jobs/s | jobs/s per core | transactions per job | host CPU s (sum, go → exit) | server CPU s | host + server CPU µs per job | load avg after |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var peer in peers)
        {
            var warmUp = PgBench.NewSchema("w_" + peer[..2]);
            await SeedAsync(peer, warmUp, workers, 1_000); // the JIT and the pools, before the first measured enqueue
            PgBench.Drop(warmUp);
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var hosts in hostCounts)
            {
                foreach (var peer in peers)
                {
                    await RunOnceAsync(peer, hosts, jobs, workers);
                }
            }
        }

        return 0;
    }

    private static async Task RunOnceAsync(string peer, int hosts, int jobs, int workers)
    {
        var schema = PgBench.NewSchema("d_" + peer[..2]);
        try
        {
            var enqueued = Stopwatch.StartNew();
            await SeedAsync(peer, schema, workers, jobs);
            var enqueueRate = jobs / enqueued.Elapsed.TotalSeconds;

            var children = Enumerable.Range(0, hosts).Select(_ => StartHost(peer, schema, workers)).ToList();
            foreach (var child in children)
            {
                var line = await child.StandardOutput.ReadLineAsync();
                if (line != "ready")
                {
                    throw new InvalidOperationException($"a host process did not start: '{line}' {await child.StandardError.ReadToEndAsync()}");
                }
            }

            var commitsBefore = PgBench.Count(PgBench.Commits);
            var serverBefore = PgServerCpu.Seconds();
            var drain = Stopwatch.StartNew();
            foreach (var child in children)
            {
                await child.StandardInput.WriteLineAsync("go");
                await child.StandardInput.FlushAsync();
            }

            await PgBench.WaitForNoneAsync(peer == "inproc" ? PgBench.InProcRemaining(schema) : PgBench.HangfireRemaining(schema), TimeSpan.FromMinutes(5));
            var seconds = drain.Elapsed.TotalSeconds;
            var cpu = 0.0;
            foreach (var child in children)
            {
                await child.StandardInput.WriteLineAsync("stop");
                await child.StandardInput.FlushAsync();
                cpu += double.Parse(await child.StandardOutput.ReadLineAsync() ?? "0", CultureInfo.InvariantCulture);
                await child.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
                child.Dispose();
            }

            await Task.Delay(500); // the hosts' connections flushed their statistics as they closed
            var commits = PgBench.Count(PgBench.Commits) - commitsBefore;
            var server = PgServerCpu.Seconds() - serverBefore;
            var rate = jobs / seconds;
            Console.WriteLine(FormattableString.Invariant(
                $"| {peer} | {hosts} | {enqueueRate:N0} | {seconds:N2} | {rate:N0} | {rate / Environment.ProcessorCount:N0} | {(double)commits / jobs:N2} | {cpu:N1} | {server:N1} | {(cpu + server) * 1e6 / jobs:N0} | {PgBench.LoadAverage()} |"));
        }
        finally
        {
            PgBench.Drop(schema);
        }
    }

    private static async Task SeedAsync(string peer, string schema, int workers, int jobs)
    {
        if (peer == "inproc")
        {
            await using var producer = new InProcPgPeer(schema, workers, start: false);
            await producer.EnqueueManyAsync(jobs, 16);
        }
        else
        {
            await using var producer = new HangfirePgPeer(schema, workers, start: false);
            producer.EnqueueMany(jobs, 16);
        }
    }

    private static Process StartHost(string peer, string schema, int workers)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!Path.GetFileNameWithoutExtension(Environment.ProcessPath!).Equals("InProc.Benchmarks", StringComparison.Ordinal))
        {
            info.ArgumentList.Add(typeof(PgDrainHarness).Assembly.Location); // run as `dotnet InProc.Benchmarks.dll`
        }

        foreach (var arg in new[] { "pg-drain-host", peer, schema, workers.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    /// <summary>One host process: builds its peer, says "ready", starts it on "go", stops on "stop" and prints its CPU seconds since "go" (the stop included).</summary>
    public static async Task<int> RunHostAsync(string[] args)
    {
        var (peer, schema, workers) = (args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
        IAsyncDisposable host;
        Action start;
        if (peer == "inproc")
        {
            var inProc = new InProcPgPeer(schema, workers, start: false);
            (host, start) = (inProc, inProc.Start);
        }
        else
        {
            var hangfire = new HangfirePgPeer(schema, workers, start: false);
            (host, start) = (hangfire, hangfire.Start);
        }

        Console.WriteLine("ready");
        if (Console.ReadLine() != "go")
        {
            return 1;
        }

        var cpuAtGo = Process.GetCurrentProcess().TotalProcessorTime;
        start();
        _ = Console.ReadLine(); // "stop", or the end of the input when the coordinator went away
        await host.DisposeAsync();
        Console.WriteLine((Process.GetCurrentProcess().TotalProcessorTime - cpuAtGo).TotalSeconds.ToString("F2", CultureInfo.InvariantCulture));
        return 0;
    }
}
