using BenchmarkDotNet.Attributes;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;

namespace InProc.Benchmarks.Benchmarks;

/// <summary>
/// Issue 14 — InProc.PostgreSql against Hangfire.PostgreSql on the same server (INPROC_POSTGRES_CONNECTION), same run,
/// each peer in a schema of its own. <b>Enqueue</b>: <see cref="Jobs"/> durable enqueues from <see cref="Producers"/>
/// concurrent callers, no worker running (time until the last call returned, i.e. its row was committed).
/// <b>Drain</b>: <see cref="Jobs"/> rows already committed to a fresh schema, then one host with <see cref="Workers"/>
/// workers starts; time until the table shows all of them Succeeded (polled every 10 ms, so the start of the host and
/// the last result's write are in the price).
/// </summary>
/// <remarks>
/// InProc's producers are tasks awaiting <c>EnqueueAsync</c>; Hangfire's <c>Enqueue</c> blocks, so its producers are
/// dedicated threads (on pool threads it would measure the pool's growth). 1 warm-up and 3 iterations: each drain
/// iteration seeds a new schema first (outside the measurement), and the 2-core machine is shared.
/// </remarks>
[Config(typeof(LongBatchConfig))]
public class PostgreSqlBenchmarks
{
    public const int Jobs = 2_000;
    public const int Producers = 16;
    public const int Workers = 20;

    private InProcPgPeer? _inProc;
    private HangfirePgPeer? _hangfire;

    [GlobalSetup(Targets = [nameof(InProc_Enqueue)])]
    public void SetupInProcEnqueue() => _inProc = new InProcPgPeer(PgBench.NewSchema("b_ip"), Workers, start: false);

    [GlobalSetup(Targets = [nameof(Hangfire_Enqueue)])]
    public void SetupHangfireEnqueue() => _hangfire = new HangfirePgPeer(PgBench.NewSchema("b_hf"), Workers, start: false);

    [GlobalCleanup(Targets = [nameof(InProc_Enqueue), nameof(Hangfire_Enqueue)])]
    public Task CleanupEnqueue() => DropAsync();

    [IterationSetup(Target = nameof(InProc_Drain))]
    public void SeedInProc()
    {
        _inProc = new InProcPgPeer(PgBench.NewSchema("b_ip"), Workers, start: false);
        InProc_Enqueue().GetAwaiter().GetResult();
    }

    [IterationSetup(Target = nameof(Hangfire_Drain))]
    public void SeedHangfire()
    {
        _hangfire = new HangfirePgPeer(PgBench.NewSchema("b_hf"), Workers, start: false);
        Hangfire_Enqueue();
    }

    [IterationCleanup(Targets = [nameof(InProc_Drain), nameof(Hangfire_Drain)])]
    public void CleanupDrain() => DropAsync().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = Jobs)]
    public Task InProc_Enqueue()
    {
        var peer = _inProc!;
        return PgBench.ProduceAsync(Jobs, Producers, async _ => await peer.EnqueueNoop());
    }

    [Benchmark(OperationsPerInvoke = Jobs)]
    public void Hangfire_Enqueue()
    {
        var peer = _hangfire!;
        PgBench.ProduceOnThreads(Jobs, Producers, _ => peer.EnqueueNoop());
    }

    [Benchmark(OperationsPerInvoke = Jobs)]
    public Task InProc_Drain()
    {
        _inProc!.Start();
        return PgBench.WaitForNoneAsync(_inProc.RemainingSql, TimeSpan.FromMinutes(2));
    }

    [Benchmark(OperationsPerInvoke = Jobs)]
    public Task Hangfire_Drain()
    {
        _hangfire!.Start();
        return PgBench.WaitForNoneAsync(_hangfire.RemainingSql, TimeSpan.FromMinutes(2));
    }

    private async Task DropAsync()
    {
        foreach (var (peer, schema) in new (IAsyncDisposable?, string?)[] { (_inProc, _inProc?.Schema), (_hangfire, _hangfire?.Schema) })
        {
            if (peer is not null)
            {
                await peer.DisposeAsync();
                PgBench.Drop(schema!);
            }
        }

        (_inProc, _hangfire) = (null, null);
    }
}
