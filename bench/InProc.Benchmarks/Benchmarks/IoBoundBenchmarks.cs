using BenchmarkDotNet.Attributes;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;

namespace InProc.Benchmarks.Benchmarks;

/// <summary>
/// Scenario 4 — I/O-bound scaling: 10,000 jobs that each await a 10 ms delay, with 1, 10, 100 and 1,000 workers. Async
/// workers hold no thread while they wait, so time should fall with the worker count until the timer and the cores are
/// the limit. The 1-worker case runs 500 jobs (about 5 s) instead of 10,000 (about 100 s); the README multiplies it by 20.
/// </summary>
/// <remarks>The Mean column is the time of one whole batch (not per job): compare it across worker counts.</remarks>
[MemoryDiagnoser]
[Config(typeof(LongBatchConfig))]
public class IoBoundBenchmarks
{
    public const int FullJobs = 10_000;
    public const int SingleWorkerJobs = 500;

    private RawChannelPeer<IoMessage>? _raw;
    private MsDocsPeer? _msDocs;
    private InProcPeer? _inProc;
    private Task _batch = Task.CompletedTask;

    [Params(1, 10, 100, 1_000)]
    public int Workers { get; set; }

    /// <summary>Jobs in this batch: 500 for one worker, 10,000 otherwise.</summary>
    public int Jobs => Workers == 1 ? SingleWorkerJobs : FullJobs;

    [GlobalSetup(Target = nameof(RawChannel))]
    public void SetupRaw() => _raw = new RawChannelPeer<IoMessage>(Workers, FullJobs, static _ => Work.RunIo(CancellationToken.None));

    [GlobalSetup(Target = nameof(MsDocsQueue))]
    public void SetupMsDocs() => _msDocs = new MsDocsPeer(Workers, FullJobs);

    [GlobalSetup(Target = nameof(InProc))]
    public void SetupInProc() => _inProc = new InProcPeer(Workers, FullJobs);

    [IterationSetup]
    public void ArmBatch() => _batch = Work.Done.Reset(Jobs);

    [GlobalCleanup]
    public Task Cleanup() => PeerCleanup.DisposeAllAsync(_raw, _msDocs, _inProc);

    [Benchmark(Baseline = true)]
    public async Task RawChannel()
    {
        var writer = _raw!.Writer;
        for (var i = 0; i < Jobs; i++)
        {
            await writer.WriteAsync(IoMessage.Instance);
        }

        await _batch;
    }

    [Benchmark]
    public async Task MsDocsQueue()
    {
        var queue = _msDocs!.Queue;
        for (var i = 0; i < Jobs; i++)
        {
            await queue.QueueBackgroundWorkItemAsync(MsDocsPeer.IoItem);
        }

        await _batch;
    }

    [Benchmark]
    public async Task InProc()
    {
        var queue = _inProc!.Queue;
        for (var i = 0; i < Jobs; i++)
        {
            await queue.EnqueueAsync(IoMessage.Instance);
        }

        await _batch;
    }
}
