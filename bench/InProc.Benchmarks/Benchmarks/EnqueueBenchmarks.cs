using BenchmarkDotNet.Attributes;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;

namespace InProc.Benchmarks.Benchmarks;

/// <summary>
/// Scenario 1 — what enqueueing costs the caller (a request thread), with the consumers running: ns per
/// <c>EnqueueAsync</c>/<c>TryEnqueue</c> against the raw channel's <c>TryWrite</c>/<c>WriteAsync</c> and the MS-docs
/// queue. The message is a cached instance, so the caller's only allocation left is InProc's envelope.
/// </summary>
/// <remarks>
/// Each iteration writes <see cref="Batch"/> items into an empty queue big enough for all of them, so the caller never
/// waits for space. With <see cref="ConsumersRunning"/>, one consumer (a second core is all there is) drains them
/// meanwhile, contending for the channel's lock and (for InProc) the monitor's records, and the drain is finished
/// outside the measurement; BenchmarkDotNet's Allocated column counts every thread, so it then includes what the
/// consumer allocated during the iteration (the caller's own bytes come from the <c>enqueue-alloc</c> command).
/// Without, nothing reads during the measurement and the queue is emptied in the cleanup: the caller's bare path, and
/// Allocated is the caller's alone.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(BatchConfig))]
public class EnqueueBenchmarks
{
    public const int Batch = 100_000;
    private const int Workers = 1;
    private const int Capacity = 2 * Batch;

    private RawChannelPeer<NoopMessage>? _raw;
    private MsDocsPeer? _msDocs;
    private InProcPeer? _inProc;
    private Task _batch = Task.CompletedTask;

    [Params(true, false)]
    public bool ConsumersRunning { get; set; }

    [GlobalSetup(Targets = [nameof(RawChannel_TryWrite), nameof(RawChannel_WriteAsync)])]
    public void SetupRaw() => _raw = new RawChannelPeer<NoopMessage>(Workers, Capacity, static _ => Work.RunNoop(), ConsumersRunning);

    [GlobalSetup(Target = nameof(MsDocs_QueueBackgroundWorkItemAsync))]
    public void SetupMsDocs() => _msDocs = new MsDocsPeer(Workers, Capacity, ConsumersRunning);

    [GlobalSetup(Targets = [nameof(InProc_EnqueueAsync), nameof(InProc_TryEnqueue)])]
    public void SetupInProc() => _inProc = new InProcPeer(Workers, Capacity, ConsumersRunning);

    [IterationSetup]
    public void ArmBatch()
    {
        if (ConsumersRunning)
        {
            Countdown.Wait(_batch, TimeSpan.FromMinutes(1), "previous batch");
            _batch = Work.Done.Reset(Batch);
        }
    }

    [IterationCleanup]
    public void DrainBatch()
    {
        if (ConsumersRunning)
        {
            Countdown.Wait(_batch, TimeSpan.FromMinutes(1), "batch");
            return;
        }

        var drained = (_raw?.Drain() ?? 0) + (_msDocs?.Queue.Drain() ?? 0) + (_inProc?.Drain() ?? 0);
        if (drained != Batch)
        {
            throw new InvalidOperationException($"Expected {Batch} items in the queue, found {drained}.");
        }
    }

    [GlobalCleanup]
    public Task Cleanup() => PeerCleanup.DisposeAllAsync(_raw, _msDocs, _inProc);

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public void RawChannel_TryWrite()
    {
        var writer = _raw!.Writer;
        var message = NoopMessage.Instance;
        for (var i = 0; i < Batch; i++)
        {
            if (!writer.TryWrite(message))
            {
                throw new InvalidOperationException("The channel is full.");
            }
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task RawChannel_WriteAsync()
    {
        var writer = _raw!.Writer;
        var message = NoopMessage.Instance;
        for (var i = 0; i < Batch; i++)
        {
            await writer.WriteAsync(message);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task MsDocs_QueueBackgroundWorkItemAsync()
    {
        var queue = _msDocs!.Queue;
        var item = MsDocsPeer.NoopItem;
        for (var i = 0; i < Batch; i++)
        {
            await queue.QueueBackgroundWorkItemAsync(item);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task InProc_EnqueueAsync()
    {
        var queue = _inProc!.Queue;
        var message = NoopMessage.Instance;
        for (var i = 0; i < Batch; i++)
        {
            await queue.EnqueueAsync(message);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void InProc_TryEnqueue()
    {
        var queue = _inProc!.Queue;
        var message = NoopMessage.Instance;
        for (var i = 0; i < Batch; i++)
        {
            if (!queue.TryEnqueue(message, out _))
            {
                throw new InvalidOperationException("The queue is full.");
            }
        }
    }
}
