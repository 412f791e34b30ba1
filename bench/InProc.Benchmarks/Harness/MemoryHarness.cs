using System.Globalization;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;

namespace InProc.Benchmarks.Harness;

/// <summary>
/// Scenario 5 — memory per queued job with a 1,000,000-job backlog (capacity 1,000,000, workers not started, so nothing
/// drains), whether it comes back once the backlog drains; and scenario 6's memory per scheduled job with 1,000,000 jobs
/// scheduled hours ahead.
/// </summary>
/// <remarks>
/// "retained" is <see cref="GC.GetTotalMemory(bool)"/> after a full, compacting collection, after minus before, divided
/// by the job count: what the backlog keeps alive. "allocated" is <see cref="GC.GetAllocatedBytesForCurrentThread"/> on
/// the enqueueing thread over the same calls: garbage included (growth of arrays that were then replaced). The message
/// is a cached instance, so neither number includes a message.
/// </remarks>
public static class MemoryHarness
{
    private const int DefaultJobs = 1_000_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var jobs = LatencyHarness.IntArg(args, "--jobs", DefaultJobs);
        var quartzJobs = LatencyHarness.IntArg(args, "--quartz-jobs", 100_000);
        Console.WriteLine($"Memory: {jobs:N0} jobs; message = one cached instance; GC = {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}.");
        Console.WriteLine();
        Console.WriteLine("Backlog (queued, not running)");
        Console.WriteLine();
        Console.WriteLine("| peer | jobs | retained B/job | allocated B/job (caller) | retained MB | time to enqueue ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");

        // Raw channel: the channel's own storage only.
        {
            var raw = new RawChannelPeer<NoopMessage>(1, jobs, static _ => Work.RunNoop(), start: false);
            Measure("raw channel", jobs, () =>
            {
                for (var i = 0; i < jobs; i++)
                {
                    raw.Writer.TryWrite(NoopMessage.Instance);
                }
            });
            GC.KeepAlive(raw);
        }

        {
            var queue = new BackgroundTaskQueue(jobs);
            Measure("MS-docs queue", jobs, () =>
            {
                for (var i = 0; i < jobs; i++)
                {
                    _ = queue.QueueBackgroundWorkItemAsync(MsDocsPeer.NoopItem);
                }
            });
            GC.KeepAlive(queue);
        }

        var drain = RunInProcBacklog(jobs);
        var afterDispose = Settle();
        Console.WriteLine();
        Console.WriteLine("After the InProc backlog drained");
        Console.WriteLine();
        Console.WriteLine("| state | heap MB | above the empty runtime MB |");
        Console.WriteLine("| --- | ---: | ---: |");
        Console.WriteLine($"| runtime built, empty | {Mb(drain.Empty)} | 0.0 |");
        Console.WriteLine($"| backlog drained ({drain.DrainMs:N0} ms), GC | {Mb(drain.AfterDrain)} | {Mb(drain.AfterDrain - drain.Empty)} |");
        Console.WriteLine($"| runtime stopped, disposed, unreferenced, GC (collected: {!drain.Runtime.IsAlive}) | {Mb(afterDispose)} | {Mb(afterDispose - drain.Empty)} (vs before it was built: {Mb(afterDispose - drain.Baseline)}) |");
        Console.WriteLine();
        Console.WriteLine($"Still held by the drained runtime: monitor index capacity {drain.IndexCapacity:N0} entries in 32 stripes " +
            $"(~{Mb(drain.IndexCapacity * IndexBytesPerEntry)} MB at {IndexBytesPerEntry} B per entry and bucket), " +
            $"{drain.FinishedKept:N0} finished-job records (FinishedJobRetention), and the channel's buffer (grown to the backlog, never shrunk).");

        Console.WriteLine();
        Console.WriteLine("Scheduled (delays of 1 to 6 hours, nothing due)");
        Console.WriteLine();
        Console.WriteLine("| peer | jobs | retained B/job | allocated B/job (caller) | retained MB | time to schedule ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        var random = new Random(42);
        var delays = new TimeSpan[jobs];
        for (var i = 0; i < delays.Length; i++)
        {
            delays[i] = TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(random.NextInt64((long)TimeSpan.FromHours(5).TotalMilliseconds));
        }

        var fired = RunInProcScheduled(jobs, delays);

        {
            using var cancel = new CancellationTokenSource();
            var tasks = new Task[jobs];
            Measure("Task.Delay per job", jobs, () =>
            {
                var token = cancel.Token;
                for (var i = 0; i < delays.Length; i++)
                {
                    tasks[i] = DelayThenRunAsync(delays[i], token);
                }
            }); // the array that keeps the tasks alive is allocated before the measurement starts
            await cancel.CancelAsync();
            await Task.WhenAll(tasks);
        }

        {
            var quartz = await QuartzPeer.StartAsync(workers: 1, start: false);
            var now = DateTimeOffset.UtcNow;
            Measure("Quartz RAMJobStore", quartzJobs, () =>
            {
                for (var i = 0; i < quartzJobs; i++)
                {
                    quartz.ScheduleNoopAsync(now + delays[i]).AsTask().GetAwaiter().GetResult();
                }
            });
            await quartz.DisposeAsync();
        }

        Console.WriteLine();
        Console.WriteLine("After the InProc scheduled jobs came due (fake clock moved past them, timer fired by hand; the due jobs went");
        Console.WriteLine("into the queue and were taken out unrun, so only the scheduler's and the index's memory remain)");
        Console.WriteLine();
        Console.WriteLine("| state | heap MB | above the empty runtime MB |");
        Console.WriteLine("| --- | ---: | ---: |");
        Console.WriteLine($"| runtime built, empty | {Mb(fired.Empty)} | 0.0 |");
        Console.WriteLine($"| {jobs:N0} scheduled, GC | {Mb(fired.Scheduled)} | {Mb(fired.Scheduled - fired.Empty)} |");
        Console.WriteLine($"| all fired ({fired.FireMs:N0} ms for one tick), queue emptied, GC | {Mb(fired.AfterFire)} | {Mb(fired.AfterFire - fired.Empty)} |");

        return 0;
    }

    // Dictionary<JobId, Envelope>: an entry is hash (4) + next (4) + key (16) + value (8), plus a 4-byte bucket.
    private const int IndexBytesPerEntry = 36;

    /// <summary>Fills a never-started runtime with the backlog, drains it, measures, and stops it; nothing of it stays referenced here.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static DrainResult RunInProcBacklog(int jobs)
    {
        var baseline = Settle();
        var inProc = new InProcPeer(workers: 4, capacity: jobs, start: false);
        var empty = Settle();
        Measure("InProc", jobs, () =>
        {
            var queue = inProc.Queue;
            for (var i = 0; i < jobs; i++)
            {
                if (!queue.TryEnqueue(NoopMessage.Instance, out _))
                {
                    throw new InvalidOperationException("The queue is full.");
                }
            }
        });

        // Drain: start the workers, wait for the last job, collect.
        var drained = Work.Done.Reset(jobs);
        var drainStart = System.Diagnostics.Stopwatch.GetTimestamp();
        inProc.Start();
        Countdown.Wait(drained, TimeSpan.FromMinutes(2), "drain");
        var drainMs = System.Diagnostics.Stopwatch.GetElapsedTime(drainStart).TotalMilliseconds;
        var afterDrain = Settle();
        var (capacity, finished) = IndexCapacity(inProc.Runtime.Store);
        var runtime = new WeakReference(inProc.Runtime);
        inProc.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return new DrainResult(baseline, empty, afterDrain, drainMs, runtime, capacity, finished);
    }

    /// <summary>
    /// Schedules the jobs on a never-started runtime driven by <see cref="ManualTimeProvider"/> (so the memory per
    /// scheduled job is measured as with the system clock), then fires them all with one tick and empties the queue.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static FireResult RunInProcScheduled(int jobs, TimeSpan[] delays)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new ManualTimeProvider(start);
        var inProc = new InProcPeer(workers: 1, capacity: jobs, start: false, time: clock);
        var empty = Settle();
        Measure("InProc ScheduleAsync", jobs, () =>
        {
            var queue = inProc.Queue;
            foreach (var delay in delays)
            {
                _ = queue.ScheduleAsync(NoopMessage.Instance, delay);
            }
        });
        var scheduled = Settle();
        var fireStart = System.Diagnostics.Stopwatch.GetTimestamp();
        clock.SetUtcNow(start + TimeSpan.FromDays(1));
        clock.LastTimer!.Fire();
        var fireMs = System.Diagnostics.Stopwatch.GetElapsedTime(fireStart).TotalMilliseconds;
        if (inProc.Drain() != jobs)
        {
            throw new InvalidOperationException("Not every scheduled job came due.");
        }

        var afterFire = Settle();
        GC.KeepAlive(inProc);
        return new FireResult(empty, scheduled, afterFire, fireMs);
    }

    /// <summary>Reads the memory store's index capacity and finished records (private state, so by reflection: diagnostics only).</summary>
    private static (long Capacity, int Finished) IndexCapacity(InProc.Store.IJobStore store)
    {
        const System.Reflection.BindingFlags Private = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance;
        var active = typeof(InProc.Store.MemoryJobStore).GetField("_active", Private)!.GetValue(store)!;
        var stripes = (Array)typeof(InProc.Store.ActiveIndex).GetField("_stripes", Private)!.GetValue(active)!;
        long capacity = 0;
        foreach (var stripe in stripes)
        {
            var map = (Dictionary<JobId, InProc.Execution.Envelope>)stripe.GetType().GetField("Map")!.GetValue(stripe)!;
            lock (stripe.GetType().GetField("Lock")!.GetValue(stripe)!)
            {
                capacity += map.EnsureCapacity(0);
            }
        }

        var finished = (InProc.Store.FinishedRing)typeof(InProc.Store.MemoryJobStore).GetField("_finished", Private)!.GetValue(store)!;
        return (capacity, finished.Count);
    }

    private static void Measure(string name, int jobs, Action fill)
    {
        var before = Settle();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        fill();
        var ms = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var retained = Settle() - before;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {jobs:N0} | {(double)retained / jobs:N1} | {(double)allocated / jobs:N1} | {Mb(retained)} | {ms:N0} |"));
    }

    private static long Settle()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private sealed record FireResult(long Empty, long Scheduled, long AfterFire, double FireMs);

    private sealed record DrainResult(long Baseline, long Empty, long AfterDrain, double DrainMs, WeakReference Runtime, long IndexCapacity, int FinishedKept);

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N1", CultureInfo.InvariantCulture);

    private static async Task DelayThenRunAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            await Work.RunNoop();
        }
        catch (OperationCanceledException)
        {
            // The measurement is over.
        }
    }
}
