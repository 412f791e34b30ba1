using BenchmarkDotNet.Attributes;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;

namespace InProc.Benchmarks.Benchmarks;

/// <summary>
/// Scenario 2, the peers — per-job time of 10,000 no-op jobs, from the first enqueue to the last job done, for every
/// peer in the same run: InProc (the baseline), the raw channel, the MS-docs queue, Quartz.NET (RAMJobStore, one job
/// plus a StartNow trigger per item), Coravel (QueueInvocable, then one consumption pass) and Hangfire (InMemory
/// storage, BackgroundJobServer with WorkerCount = Workers), each with the same job body and Workers concurrent jobs.
/// </summary>
/// <remarks>
/// Channel peers (raw, MS-docs, InProc) have capacity 1,000 (InProc's default: the producer parks on backpressure);
/// Quartz, Coravel and Hangfire have unbounded stores. Coravel has no worker count (a pass runs everything queued at
/// once), and its hosted service would only start a pass on its 1 s timer: the benchmark calls that pass itself right
/// after queueing, so Coravel's number excludes the polling wait (see <see cref="CoravelPeer"/>). Quartz and Hangfire
/// are schedulers with stores, so their cost per job is dominated by storing, acquiring and state-changing each job.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(BatchConfig))]
public class PeerThroughputBenchmarks
{
    public const int Jobs = 10_000;
    private const int Capacity = 1_000;

    private InProcPeer? _inProc;
    private RawChannelPeer<NoopMessage>? _raw;
    private MsDocsPeer? _msDocs;
    private QuartzPeer? _quartz;
    private CoravelPeer? _coravel;
    private HangfirePeer? _hangfire;
    private Task _batch = Task.CompletedTask;

    [Params(1, 2, 4)]
    public int Workers { get; set; }

    [GlobalSetup(Target = nameof(InProc))]
    public void SetupInProc() => _inProc = new InProcPeer(Workers, Capacity);

    [GlobalSetup(Target = nameof(RawChannel))]
    public void SetupRaw() => _raw = new RawChannelPeer<NoopMessage>(Workers, Capacity, static _ => Work.RunNoop());

    [GlobalSetup(Target = nameof(MsDocsQueue))]
    public void SetupMsDocs() => _msDocs = new MsDocsPeer(Workers, Capacity);

    [GlobalSetup(Target = nameof(Quartz))]
    public void SetupQuartz() => _quartz = QuartzPeer.StartAsync(Workers).GetAwaiter().GetResult();

    [GlobalSetup(Target = nameof(Coravel))]
    public void SetupCoravel() => _coravel = new CoravelPeer(startHost: false);

    [GlobalSetup(Target = nameof(Hangfire))]
    public void SetupHangfire() => _hangfire = new HangfirePeer(Workers);

    [IterationSetup]
    public void ArmBatch() => _batch = Work.Done.Reset(Jobs);

    [IterationCleanup]
    public void WaitBatch() => Countdown.Wait(_batch, TimeSpan.FromMinutes(2), "batch");

    [GlobalCleanup]
    public Task Cleanup() => PeerCleanup.DisposeAllAsync(_inProc, _raw, _msDocs, _quartz, _coravel, _hangfire);

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
    public async Task Quartz()
    {
        var quartz = _quartz!;
        for (var i = 0; i < Jobs; i++)
        {
            await quartz.EnqueueNoopAsync();
        }

        await _batch;
    }

    [Benchmark(OperationsPerInvoke = Jobs)]
    public async Task Coravel()
    {
        var coravel = _coravel!;
        for (var i = 0; i < Jobs; i++)
        {
            coravel.Queue.QueueInvocable<CoravelNoopInvocable>();
        }

        await coravel.ConsumeAsync();
        await _batch;
    }

    [Benchmark(OperationsPerInvoke = Jobs)]
    public async Task Hangfire()
    {
        var hangfire = _hangfire!;
        for (var i = 0; i < Jobs; i++)
        {
            hangfire.EnqueueNoop();
        }

        await _batch;
    }
}
