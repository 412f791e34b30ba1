using BenchmarkDotNet.Attributes;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;

namespace InProc.Benchmarks.Benchmarks;

/// <summary>
/// Scenario 2, Quartz part — per-job cost of Quartz.NET (RAMJobStore, one job plus a StartNow trigger per item) next to
/// InProc, both with 2,000 no-op jobs and the same number of concurrent jobs. Quartz is a scheduler, not a queue: each
/// item is a stored job and trigger that its scheduler thread acquires and fires, which is what this prices.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BatchConfig))]
public class QuartzThroughputBenchmarks
{
    public const int Jobs = 2_000;

    private InProcPeer? _inProc;
    private QuartzPeer? _quartz;
    private Task _batch = Task.CompletedTask;

    [Params(1, 2, 4)]
    public int Workers { get; set; }

    [GlobalSetup(Target = nameof(InProc))]
    public void SetupInProc() => _inProc = new InProcPeer(Workers, capacity: 1_000);

    [GlobalSetup(Target = nameof(Quartz))]
    public void SetupQuartz() => _quartz = QuartzPeer.StartAsync(Workers).GetAwaiter().GetResult();

    [IterationSetup]
    public void ArmBatch() => _batch = Work.Done.Reset(Jobs);

    [GlobalCleanup]
    public Task Cleanup() => PeerCleanup.DisposeAllAsync(_inProc, _quartz);

    [Benchmark(Baseline = true, OperationsPerInvoke = Jobs)]
    public async Task InProc()
    {
        var queue = _inProc!.Queue;
        var message = NoopMessage.Instance;
        for (var i = 0; i < Jobs; i++)
        {
            await queue.EnqueueAsync(message);
        }

        await _batch;
    }

    [Benchmark(OperationsPerInvoke = Jobs)]
    public async Task Quartz()
    {
        var quartz = _quartz!;
        for (var i = 0; i < Jobs; i++)
        {
            await quartz.EnqueueNoopAsync();
        }

        await _batch;
    }
}
