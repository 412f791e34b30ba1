using BenchmarkDotNet.Running;
using InProc.Benchmarks.Harness;

// BenchmarkDotNet classes run through the switcher (`-- --filter *Throughput*`); the scenarios that do not fit
// BenchmarkDotNet have their own commands.
return args.FirstOrDefault() switch
{
    "latency" => await LatencyHarness.RunAsync(args[1..]),
    "journal-latency" => await JournalLatencyHarness.RunAsync(args[1..]),
    "memory" => await MemoryHarness.RunAsync(args[1..]),
    "limits-memory" => await LimitsMemoryHarness.RunAsync(args[1..]),
    "enqueue-alloc" => await EnqueueAllocHarness.RunAsync(args[1..]),
    "e2e-load" => await E2ELoadClient.RunAsync(args[1..]),
    "e2e-paced" => await E2EPacedLoad.RunAsync(args[1..]),
    "e2e-stats" => await E2ELoadClient.WaitForDrainAsync(args[1..]),
    "profile" => await ProfileHarness.RunAsync(args[1..]),
    "cpu-per-job" => await CpuPerJobHarness.RunAsync(args[1..]),
    "cpu-per-job-one" => await CpuPerJobRun.RunAsync(args[1..]),
    "pg-drain" => await PgDrainHarness.RunAsync(args[1..]),
    "pg-drain-host" => await PgDrainHarness.RunHostAsync(args[1..]),
    "pg-latency" => await PgLatencyHarness.RunAsync(args[1..]),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    // --smoke: every selected case once, in this process, with the memory diagnoser: a check that it runs, not a number.
    if (args.Contains("--smoke"))
    {
        InProc.Benchmarks.Infrastructure.BatchConfig.Smoke = true;
        args = [.. args.Where(a => a != "--smoke"), "--job", "dry", "--inProcess", "--memory"];
    }

    var summaries = BenchmarkSwitcher.FromAssembly(typeof(InProc.Benchmarks.Peers.InProcPeer).Assembly).Run(args);
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}
