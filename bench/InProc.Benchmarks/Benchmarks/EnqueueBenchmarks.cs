using BenchmarkDotNet.Attributes;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;

namespace InProc.Benchmarks.Benchmarks;

/// <summary>
/// Scenario 1 — what enqueueing costs the caller (a request thread), with the consumers running: ns per
/// <c>EnqueueAsync</c>/<c>TryEnqueue</c> against the raw channel's <c>TryWrite</c>/<c>WriteAsync</c>, the MS-docs
/// queue, Quartz (<c>ScheduleJob</c> with a StartNow trigger), Coravel (<c>QueueInvocable</c>, <c>QueueAsyncTask</c>)
/// and Hangfire (<c>BackgroundJobClient.Enqueue</c>). The message is a cached instance (Coravel's task delegate too),
/// so what is left allocated is the peer's own.
/// </summary>
/// <remarks>
/// Each iteration writes <see cref="Batch"/> items into an empty queue big enough for all of them, so the caller never
/// waits for space. With <see cref="ConsumersRunning"/>, one consumer (a second core is all there is) drains them
/// meanwhile, contending for the channel's lock and (for InProc) the monitor's records, and the drain is finished
/// outside the measurement; BenchmarkDotNet's Allocated column counts every thread, so it then includes what the
/// consumer allocated during the iteration (the caller's own bytes come from the <c>enqueue-alloc</c> command).
/// Without, nothing reads during the measurement and the queue is emptied in the cleanup: the caller's bare path, and
/// Allocated is the caller's alone.
/// <para>Quartz and Hangfire cost microseconds per call, so they write <see cref="SmallBatch"/> items per iteration.
/// "Consumers running" means, for Quartz, a started scheduler with one thread; for Hangfire, a server with one worker;
/// for Coravel, its hosted service on its 1 s timer (so its consumer rarely overlaps the few milliseconds of the
/// measurement). Without: Quartz's store is cleared, Coravel's queue is consumed in the cleanup, Hangfire's storage is
/// replaced by an empty one.</para>
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(BatchConfig))]
public class EnqueueBenchmarks
{
    public const int Batch = 100_000;
    public const int SmallBatch = 10_000;
    private const int Workers = 1;
    private const int Capacity = 2 * Batch;

    private RawChannelPeer<NoopMessage>? _raw;
    private MsDocsPeer? _msDocs;
    private InProcPeer? _inProc;
    private QuartzPeer? _quartz;
    private CoravelPeer? _coravel;
    private HangfirePeer? _hangfire;
    private int _expected = Batch;
    private Task _batch = Task.CompletedTask;

    [Params(true, false)]
    public bool ConsumersRunning { get; set; }

    [GlobalSetup(Targets = [nameof(RawChannel_TryWrite), nameof(RawChannel_WriteAsync)])]
    public void SetupRaw() => _raw = new RawChannelPeer<NoopMessage>(Workers, Capacity, static _ => Work.RunNoop(), ConsumersRunning);

    [GlobalSetup(Target = nameof(MsDocs_QueueBackgroundWorkItemAsync))]
    public void SetupMsDocs() => _msDocs = new MsDocsPeer(Workers, Capacity, ConsumersRunning);

    [GlobalSetup(Targets = [nameof(InProc_EnqueueAsync), nameof(InProc_TryEnqueue)])]
    public void SetupInProc() => _inProc = new InProcPeer(Workers, Capacity, ConsumersRunning);

    [GlobalSetup(Target = nameof(Quartz_ScheduleJob))]
    public void SetupQuartz()
    {
        _quartz = QuartzPeer.StartAsync(Workers, ConsumersRunning).GetAwaiter().GetResult();
        _expected = SmallBatch;
    }

    [GlobalSetup(Targets = [nameof(Coravel_QueueInvocable), nameof(Coravel_QueueAsyncTask)])]
    public void SetupCoravel() => _coravel = new CoravelPeer(startHost: ConsumersRunning);

    [GlobalSetup(Target = nameof(Hangfire_Enqueue))]
    public void SetupHangfire()
    {
        _hangfire = new HangfirePeer(Workers, ConsumersRunning);
        _expected = SmallBatch;
    }

    [IterationSetup]
    public void ArmBatch()
    {
        if (ConsumersRunning)
        {
            Countdown.Wait(_batch, TimeSpan.FromMinutes(1), "previous batch");
            _batch = Work.Done.Reset(_expected);
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

        var drained = (_raw?.Drain() ?? 0) + (_msDocs?.Queue.Drain() ?? 0) + (_inProc?.Drain() ?? 0) + DrainPeers();
        if (drained != _expected)
        {
            throw new InvalidOperationException($"Expected {_expected} items in the queue, found {drained}.");
        }
    }

    [GlobalCleanup]
    public Task Cleanup() => PeerCleanup.DisposeAllAsync(_raw, _msDocs, _inProc, _quartz, _coravel, _hangfire);

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

    [Benchmark(OperationsPerInvoke = SmallBatch)]
    public async Task Quartz_ScheduleJob()
    {
        var quartz = _quartz!;
        for (var i = 0; i < SmallBatch; i++)
        {
            await quartz.EnqueueNoopAsync();
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void Coravel_QueueInvocable()
    {
        var queue = _coravel!.Queue;
        for (var i = 0; i < Batch; i++)
        {
            queue.QueueInvocable<CoravelNoopInvocable>();
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void Coravel_QueueAsyncTask()
    {
        var queue = _coravel!.Queue;
        var task = CoravelPeer.NoopTask;
        for (var i = 0; i < Batch; i++)
        {
            queue.QueueAsyncTask(task);
        }
    }

    [Benchmark(OperationsPerInvoke = SmallBatch)]
    public void Hangfire_Enqueue()
    {
        var hangfire = _hangfire!;
        for (var i = 0; i < SmallBatch; i++)
        {
            hangfire.EnqueueNoop();
        }
    }

    /// <summary>Empties the peers that cannot simply be read dry; returns how many items they held.</summary>
    private int DrainPeers()
    {
        var drained = 0;
        if (_quartz is not null)
        {
            // Cleared unread; ScheduleJob throws rather than drop a job, so the count is the benchmark loop's.
            _quartz.Scheduler.Clear().GetAwaiter().GetResult();
            drained += SmallBatch;
        }

        if (_coravel is not null && _coravel.Waiting > 0)
        {
            var waiting = _coravel.Waiting;
            var consumed = Work.Done.Reset(waiting);
            _coravel.ConsumeAsync().GetAwaiter().GetResult();
            Countdown.Wait(consumed, TimeSpan.FromMinutes(1), "Coravel drain");
            drained += waiting;
        }

        if (_hangfire is not null)
        {
            drained += (int)_hangfire.Waiting;
            _hangfire.ResetStorage();
        }

        return drained;
    }
}
