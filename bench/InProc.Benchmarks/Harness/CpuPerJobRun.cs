using System.Diagnostics;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;

namespace InProc.Benchmarks.Harness;

/// <summary>
/// One configuration of the <c>cpu-per-job</c> scenario, in its own process (<c>cpu-per-job-one</c>): build the peer
/// with N idle consumers, pace unmeasured warm-up jobs, measure the idle process for a moment, then pace the measured
/// jobs and report process CPU time per job (all threads: the enqueue, every wake-up it causes, the job), the
/// producer thread's own CPU per job, wall time, GCs and bytes allocated.
/// </summary>
internal static class CpuPerJobRun
{
    public const string InProc = "inproc";
    public const string ReadAsyncChannel = "channel-readasync";
    public const string WaitToReadChannel = "channel-waittoread";

    public static async Task<int> RunAsync(string[] args)
    {
        var peer = StringArg(args, "--peer", InProc);
        var workers = LatencyHarness.IntArg(args, "--workers", 4);
        var rate = LatencyHarness.IntArg(args, "--rate", 2_000);
        var seconds = DoubleArg(args, "--seconds", 4);
        var warmupSeconds = DoubleArg(args, "--warmup-seconds", 1);
        var idleSeconds = DoubleArg(args, "--idle-seconds", 1);
        const int capacity = 1_000;

        await using var queue = Create(peer, workers, capacity);
        Func<ValueTask> enqueue = queue switch
        {
            InProcPeer p => async () => await p.Queue.EnqueueAsync(NoopMessage.Instance),
            RawChannelPeer<NoopMessage> c => () => c.Writer.WriteAsync(NoopMessage.Instance),
            _ => throw new InvalidOperationException(),
        };

        // Warm-up: JIT tiers, thread pool threads, and every consumer reaches its first wait.
        var warmupJobs = (int)(rate * warmupSeconds);
        var warmup = Work.Done.Reset(warmupJobs);
        Pace(enqueue, rate, warmupJobs, new long[warmupJobs]);
        Countdown.Wait(warmup, TimeSpan.FromSeconds(60 + warmupSeconds * 10), "cpu-per-job warm-up");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // Idle: what the peer costs with nothing to do (timers, nothing else expected).
        var idleCpuBefore = ProcessCpu();
        Thread.Sleep(TimeSpan.FromSeconds(idleSeconds));
        var idleCpuMsPerSecond = (ProcessCpu() - idleCpuBefore).TotalMilliseconds / idleSeconds;

        var jobs = (int)(rate * seconds);
        var lags = new long[jobs];
        var batch = Work.Done.Reset(jobs);
        var gc0 = GC.CollectionCount(0);
        var gc1 = GC.CollectionCount(1);
        var gc2 = GC.CollectionCount(2);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = ProcessCpu();
        var start = Stopwatch.GetTimestamp();
        var producerCpu = Pace(enqueue, rate, jobs, lags);
        Countdown.Wait(batch, TimeSpan.FromSeconds(60 + seconds * 10), "cpu-per-job run");
        var wall = Stopwatch.GetElapsedTime(start);
        var cpuUsed = ProcessCpu() - cpu;
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;

        var result = new CpuPerJobResult(
            peer,
            workers,
            jobs,
            cpuUsed.TotalMicroseconds / jobs,
            producerCpu.TotalMicroseconds / jobs,
            wall.TotalSeconds,
            GC.CollectionCount(0) - gc0,
            GC.CollectionCount(1) - gc1,
            GC.CollectionCount(2) - gc2,
            (double)bytes / jobs,
            Percentiles.FromTicks(lags, lags.Length).P99,
            idleCpuMsPerSecond);
        Console.WriteLine(result.Format());
        return 0;
    }

    private static IAsyncDisposable Create(string peer, int workers, int capacity) => peer switch
    {
        InProc => new InProcPeer(workers, capacity),
        ReadAsyncChannel => new RawChannelPeer<NoopMessage>(workers, capacity, static _ => Work.RunNoop(), consumer: ChannelConsumer.ReadAsync),
        WaitToReadChannel => new RawChannelPeer<NoopMessage>(workers, capacity, static _ => Work.RunNoop(), consumer: ChannelConsumer.WaitToReadTryRead),
        _ => throw new ArgumentException($"Unknown peer '{peer}'.", nameof(peer)),
    };

    /// <summary>
    /// Enqueues <paramref name="jobs"/> items from a dedicated thread, item i at t0 + i / rate, sleeping between slots
    /// (no spinning: the producer's CPU would otherwise swamp what is measured); returns the producer thread's CPU time.
    /// </summary>
    private static TimeSpan Pace(Func<ValueTask> enqueue, int rate, int jobs, long[] lags)
    {
        var producerCpu = TimeSpan.Zero;
        Exception? failure = null;
        var producer = new Thread(() =>
        {
            try
            {
                var cpuBefore = Pacer.ThreadCpuTime();
                var period = (double)Stopwatch.Frequency / rate;
                var t0 = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
                for (var i = 0; i < jobs; i++)
                {
                    var slot = t0 + (long)(i * period);
                    Pacer.SleepUntil(slot);
                    lags[i] = Stopwatch.GetTimestamp() - slot;
                    var pending = enqueue();
                    if (!pending.IsCompletedSuccessfully)
                    {
                        pending.AsTask().GetAwaiter().GetResult(); // the queue is full: the rate is too high
                    }
                }

                producerCpu = Pacer.ThreadCpuTime() - cpuBefore;
            }
#pragma warning disable CA1031 // Reported on the calling thread.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure = ex;
            }
        })
        { IsBackground = true, Name = "cpu-per-job producer" };
        producer.Start();
        producer.Join();
        return failure is null ? producerCpu : throw new InvalidOperationException("The producer failed.", failure);
    }

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    internal static string StringArg(string[] args, string name, string fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }

    internal static double DoubleArg(string[] args, string name, double fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
