using BenchmarkDotNet.Attributes;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;

namespace InProc.Benchmarks.Benchmarks;

/// <summary>
/// Scenario 6 — the scheduler (delayed jobs and retries): what <c>ScheduleAsync</c> costs per call with delays of hours,
/// and what firing costs per due job, when one tick releases many jobs and when every job gets its own tick.
/// Peers for scheduling: one <see cref="Task.Delay(TimeSpan, CancellationToken)"/> per job (what hand-rolled code does:
/// a system timer per job) and Quartz.NET (a job plus a StartAt trigger in RAMJobStore, scheduler in standby).
/// </summary>
/// <remarks>
/// Scheduling runs on the system clock: delays of 1 to 6 hours never come due during the run, and the timer is re-armed
/// only when a new earliest job arrives. Firing runs on <see cref="ManualTimeProvider"/>: setup schedules the batch,
/// the benchmark moves the fake clock and calls the scheduler's timer callback by hand, on this thread; the due jobs go
/// into the (not started) queue, so a fired job is measured up to the point where a worker could take it. Each
/// iteration starts from a new, empty runtime, so amortized growth of the heap and the monitor index is included.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(BatchConfig))]
public class SchedulerBenchmarks
{
    public const int Batch = 100_000;
    public const int QuartzBatch = 10_000;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TimeSpan[] _delays = MakeDelays();
    private readonly DateTimeOffset[] _sortedDueTimes;
    private InProcPeer? _inProc;
    private ManualTimeProvider? _clock;
    private QuartzPeer? _quartz;
    private CancellationTokenSource? _delayCancellation;

    public SchedulerBenchmarks()
    {
        _sortedDueTimes = [.. _delays.Select(d => Start + d).Order()];
    }

    [GlobalSetup(Target = nameof(Quartz_ScheduleJob))]
    public void SetupQuartz() => _quartz = QuartzPeer.StartAsync(workers: 1, start: false).GetAwaiter().GetResult();

    [GlobalCleanup(Target = nameof(Quartz_ScheduleJob))]
    public async Task CleanupQuartz() => await _quartz!.DisposeAsync();

    [IterationSetup(Target = nameof(InProc_ScheduleAsync))]
    public void NewRuntime() => _inProc = new InProcPeer(workers: 1, capacity: Batch, start: false);

    [IterationSetup(Target = nameof(TaskDelay_PerJob))]
    public void NewCancellation() => _delayCancellation = new CancellationTokenSource();

    [IterationSetup(Targets = [nameof(InProc_FireAllDue), nameof(InProc_FireOneByOne)])]
    public void NewRuntimeWithBatch()
    {
        _clock = new ManualTimeProvider(Start);
        _inProc = new InProcPeer(workers: 1, capacity: Batch, start: false, time: _clock);
        var queue = _inProc.Queue;
        foreach (var delay in _delays)
        {
            _ = queue.ScheduleAsync(NoopMessage.Instance, delay);
        }
    }

    [IterationCleanup]
    public void Cleanup()
    {
        // Stopping abandons what is still queued or scheduled: outside the measurement.
        _inProc?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _inProc = null;
        _delayCancellation?.Cancel();
        _delayCancellation?.Dispose();
        _delayCancellation = null;
        _quartz?.Scheduler.Clear().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public async Task InProc_ScheduleAsync()
    {
        var queue = _inProc!.Queue;
        var delays = _delays;
        for (var i = 0; i < delays.Length; i++)
        {
            await queue.ScheduleAsync(NoopMessage.Instance, delays[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void TaskDelay_PerJob()
    {
        var token = _delayCancellation!.Token;
        var delays = _delays;
        for (var i = 0; i < delays.Length; i++)
        {
            _ = DelayThenRunAsync(delays[i], token);
        }
    }

    [Benchmark(OperationsPerInvoke = QuartzBatch)]
    public async Task Quartz_ScheduleJob()
    {
        var quartz = _quartz!;
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < QuartzBatch; i++)
        {
            await quartz.ScheduleNoopAsync(now + _delays[i]);
        }
    }

    /// <summary>One tick of the timer finds all 100,000 jobs due.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void InProc_FireAllDue()
    {
        _clock!.SetUtcNow(_sortedDueTimes[^1]);
        _clock.LastTimer!.Fire();
        ThrowIfNotAllQueued();
    }

    /// <summary>Every job comes due on its own tick: pop one, re-arm the timer for the next.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void InProc_FireOneByOne()
    {
        var clock = _clock!;
        var timer = clock.LastTimer!;
        foreach (var due in _sortedDueTimes)
        {
            clock.SetUtcNow(due);
            timer.Fire();
        }

        ThrowIfNotAllQueued();
    }

    private static async Task DelayThenRunAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            await Work.RunNoop();
        }
        catch (OperationCanceledException)
        {
            // The iteration is over.
        }
    }

    private static TimeSpan[] MakeDelays()
    {
        var random = new Random(42);
        var delays = new TimeSpan[Batch];
        for (var i = 0; i < delays.Length; i++)
        {
            delays[i] = TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(random.NextInt64((long)TimeSpan.FromHours(5).TotalMilliseconds));
        }

        return delays;
    }

    private void ThrowIfNotAllQueued()
    {
        if (_inProc!.Waiting != Batch)
        {
            throw new InvalidOperationException($"Expected {Batch} fired jobs in the queue, found {_inProc.Waiting}.");
        }
    }
}
