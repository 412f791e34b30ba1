using BenchmarkDotNet.Attributes;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;

namespace InProc.Benchmarks.Benchmarks;

/// <summary>
/// Scenario 2 — throughput: 200,000 no-op jobs from the first enqueue to the last job done, per job, with 1, 2 and 4
/// workers. Shows what InProc's per-job bookkeeping (envelope, id, monitor record, DI scope, job instance) costs next to
/// the raw channel (the floor) and the MS-docs queue (no bookkeeping at all).
/// </summary>
/// <remarks>
/// Capacity 1,000 is InProc's default: the producer outruns the workers and parks on backpressure, as a burst would.
/// Capacity 200,000 holds the whole batch, so the producer never waits and only the pipeline's own cost shows.
/// The Allocated column is per job and counts every thread: enqueue plus execution.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(BatchConfig))]
public class ThroughputBenchmarks
{
    public const int Jobs = 200_000;

    private RawChannelPeer<NoopMessage>? _raw;
    private MsDocsPeer? _msDocs;
    private InProcPeer? _inProc;
    private Task _batch = Task.CompletedTask;

    [Params(1, 2, 4)]
    public int Workers { get; set; }

    [Params(1_000, Jobs)]
    public int Capacity { get; set; }

    [GlobalSetup(Target = nameof(RawChannel))]
    public void SetupRaw() => _raw = new RawChannelPeer<NoopMessage>(Workers, Capacity, static _ => Work.RunNoop());

    [GlobalSetup(Target = nameof(MsDocsQueue))]
    public void SetupMsDocs() => _msDocs = new MsDocsPeer(Workers, Capacity);

    [GlobalSetup(Target = nameof(InProc))]
    public void SetupInProc() => _inProc = new InProcPeer(Workers, Capacity);

    [IterationSetup]
    public void ArmBatch() => _batch = Work.Done.Reset(Jobs);

    [GlobalCleanup]
    public Task Cleanup() => PeerCleanup.DisposeAllAsync(_raw, _msDocs, _inProc);

    [Benchmark(Baseline = true, OperationsPerInvoke = Jobs)]
    public async Task RawChannel()
    {
        var writer = _raw!.Writer;
        var message = NoopMessage.Instance;
        for (var i = 0; i < Jobs; i++)
        {
            await writer.WriteAsync(message);
        }

        await _batch;
    }

    [Benchmark(OperationsPerInvoke = Jobs)]
    public async Task MsDocsQueue()
    {
        var queue = _msDocs!.Queue;
        var item = MsDocsPeer.NoopItem;
        for (var i = 0; i < Jobs; i++)
        {
            await queue.QueueBackgroundWorkItemAsync(item);
        }

        await _batch;
    }

    [Benchmark(OperationsPerInvoke = Jobs)]
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
}
