using System.Diagnostics;
using System.Globalization;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;
using InProc.Execution;

namespace InProc.Benchmarks.Harness;

/// <summary>
/// Scenario 1, the bytes half — what one enqueue allocates on the caller's thread, with the consumers running. Uses
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> around 1,000,000 calls (after 200,000 warm-up calls), which,
/// unlike BenchmarkDotNet's process-wide Allocated column, leaves out what the consumers allocate while they run the jobs.
/// Prints the size of one InProc envelope for comparison: exactly one allocation per call means bytes/call = that size.
/// </summary>
public static class EnqueueAllocHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var calls = LatencyHarness.IntArg(args, "--calls", 1_000_000);
        var warmup = calls / 5;
        var capacity = calls + warmup;

        Console.WriteLine($"Caller-thread allocations per enqueue: {calls:N0} calls after {warmup:N0} warm-up calls, 1 consumer running, message cached.");
        Console.WriteLine();
        Console.WriteLine($"One Envelope<NoopMessage>: {EnvelopeSize()} B");
        Console.WriteLine();
        Console.WriteLine("| call | bytes/call (caller thread) | ns/call (wall, this run) |");
        Console.WriteLine("| --- | ---: | ---: |");

        await using (var raw = new RawChannelPeer<NoopMessage>(1, capacity, static _ => Work.RunNoop()))
        {
            await MeasureAsync("raw channel TryWrite", calls, warmup, _ => { raw.Writer.TryWrite(NoopMessage.Instance); return default; });
            await MeasureAsync("raw channel WriteAsync", calls, warmup, _ => raw.Writer.WriteAsync(NoopMessage.Instance));
        }

        await using (var msDocs = new MsDocsPeer(1, capacity))
        {
            await MeasureAsync("MS-docs QueueBackgroundWorkItemAsync", calls, warmup, _ => msDocs.Queue.QueueBackgroundWorkItemAsync(MsDocsPeer.NoopItem));
        }

        await using (var inProc = new InProcPeer(1, capacity))
        {
            var queue = inProc.Queue;
            await MeasureAsync("InProc EnqueueAsync", calls, warmup, _ =>
            {
                var pending = queue.EnqueueAsync(NoopMessage.Instance);
                return pending.IsCompletedSuccessfully ? default : new ValueTask(pending.AsTask());
            });
            await MeasureAsync("InProc TryEnqueue", calls, warmup, _ =>
            {
                queue.TryEnqueue(NoopMessage.Instance, out JobId _);
                return default;
            });
        }

        return 0;
    }

    private static long EnvelopeSize()
    {
        var registration = JobRegistration.Create(typeof(NoopMessage), typeof(NoopJob), "default", RetryPolicy.None, timeout: null);
        var now = DateTimeOffset.UnixEpoch;
        _ = registration.CreateEnvelope(NoopMessage.Instance, default, now, 1, captureTrace: false); // JIT it first
        var before = GC.GetAllocatedBytesForCurrentThread();
        var envelope = registration.CreateEnvelope(NoopMessage.Instance, default, now, 1, captureTrace: false);
        var size = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(envelope);
        return size;
    }

    private static async Task MeasureAsync(string name, int calls, int warmup, Func<int, ValueTask> call)
    {
        // Each call is synchronous unless the queue is full, which it never is here, so this thread does all of it.
        var warm = Work.Done.Reset(warmup);
        for (var i = 0; i < warmup; i++)
        {
            await call(i);
        }

        await warm;
        var done = Work.Done.Reset(calls);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++)
        {
            var pending = call(i);
            if (!pending.IsCompletedSuccessfully)
            {
                throw new InvalidOperationException($"{name} did not complete synchronously: the queue is full.");
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Countdown.Wait(done, TimeSpan.FromMinutes(2), name);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {(double)bytes / calls:N1} | {elapsed.TotalNanoseconds / calls:N1} |"));
    }
}
