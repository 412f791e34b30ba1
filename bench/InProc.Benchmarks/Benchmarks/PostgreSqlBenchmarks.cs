using BenchmarkDotNet.Attributes;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;

namespace InProc.Benchmarks.Benchmarks;

/// <summary>
/// Issue 14 — durable enqueue: <see cref="Jobs"/> enqueues from <see cref="Producers"/> concurrent callers, no worker
/// running (time until the last call returned, i.e. its row was committed), InProc.PostgreSql against
/// Hangfire.PostgreSql on the same server (INPROC_POSTGRES_CONNECTION), same run, each in a schema of its own.
/// </summary>
/// <remarks>
/// InProc's producers are tasks awaiting <c>EnqueueAsync</c>; Hangfire's <c>Enqueue</c> blocks, so its producers are
/// dedicated threads (on pool threads it would measure the pool's growth). Rows accumulate over the iterations (about
/// 10,000 per schema). 1 warm-up, 3 iterations: the 2-core machine is shared.
/// </remarks>
[Config(typeof(LongBatchConfig))]
public class PostgreSqlEnqueueBenchmarks
{
    public const int Jobs = 2_000;

    private InProcPgPeer? _inProc;
    private HangfirePgPeer? _hangfire;

    [Params(16, 64)]
    public int Producers { get; set; }

    [GlobalSetup(Target = nameof(InProc_Enqueue))]
    public void SetupInProc() => _inProc = new InProcPgPeer(PgBench.NewSchema("b_ip"), 1, start: false);

    [GlobalSetup(Target = nameof(Hangfire_Enqueue))]
    public void SetupHangfire() => _hangfire = new HangfirePgPeer(PgBench.NewSchema("b_hf"), 1, start: false);

    [GlobalCleanup]
    public Task Cleanup() => PgBench.DisposeAndDropAsync((_inProc, _inProc?.Schema), (_hangfire, _hangfire?.Schema));

    [Benchmark(Baseline = true, OperationsPerInvoke = Jobs)]
    public Task InProc_Enqueue() => _inProc!.EnqueueManyAsync(Jobs, Producers);

    [Benchmark(OperationsPerInvoke = Jobs)]
    public void Hangfire_Enqueue() => _hangfire!.EnqueueMany(Jobs, Producers);
}

/// <summary>
/// Issue 14 — drain: rows already committed to a fresh schema (by 16 producers, outside the measurement), then one
/// host with <see cref="Workers"/> workers starts; time until no row is left to do (polled every 50 ms, so the host's
/// start and the last result's write are in the price). InProc.PostgreSql (<see cref="InProcJobs"/> rows) against
/// Hangfire.PostgreSql (<see cref="HangfireJobs"/> rows, a <c>BackgroundJobServer</c> with the same worker count), same
/// server, same run: the counts differ so that each drain lasts long enough for the poll's 50 ms not to matter (about
/// 1 s and 10 s), and the time is per job.
/// </summary>
[Config(typeof(LongBatchConfig))]
public class PostgreSqlDrainBenchmarks
{
    public const int InProcJobs = 10_000;
    public const int HangfireJobs = 2_000;
    public const int Workers = 20;

    private InProcPgPeer? _inProc;
    private HangfirePgPeer? _hangfire;

    [IterationSetup(Target = nameof(InProc_Drain))]
    public void SeedInProc()
    {
        _inProc = new InProcPgPeer(PgBench.NewSchema("b_ip"), Workers, start: false);
        _inProc.EnqueueManyAsync(InProcJobs, 16).GetAwaiter().GetResult();
    }

    [IterationSetup(Target = nameof(Hangfire_Drain))]
    public void SeedHangfire()
    {
        _hangfire = new HangfirePgPeer(PgBench.NewSchema("b_hf"), Workers, start: false);
        _hangfire.EnqueueMany(HangfireJobs, 16);
    }

    [IterationCleanup]
    public void Cleanup()
    {
        PgBench.DisposeAndDropAsync((_inProc, _inProc?.Schema), (_hangfire, _hangfire?.Schema)).GetAwaiter().GetResult();
        (_inProc, _hangfire) = (null, null);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = InProcJobs)]
    public Task InProc_Drain()
    {
        _inProc!.Start();
        return PgBench.WaitForNoneAsync(_inProc.RemainingSql, TimeSpan.FromMinutes(2));
    }

    [Benchmark(OperationsPerInvoke = HangfireJobs)]
    public Task Hangfire_Drain()
    {
        _hangfire!.Start();
        return PgBench.WaitForNoneAsync(_hangfire.RemainingSql, TimeSpan.FromMinutes(2));
    }
}
