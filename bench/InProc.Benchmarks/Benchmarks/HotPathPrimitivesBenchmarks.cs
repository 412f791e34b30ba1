using BenchmarkDotNet.Attributes;
using InProc.Benchmarks.Infrastructure;

namespace InProc.Benchmarks.Benchmarks;

/// <summary>
/// Supporting numbers for the profile of scenarios 1 and 2: what the primitives an InProc job pays several times cost on
/// this machine, single-threaded and uncontended. Each job reads the clock (ids, created/started/finished times) and takes
/// the monitor's locks (index, finished ring, eviction) — this prices one of each. It is why src/ now reads the clock
/// once per enqueue instead of twice and no longer bumps a shared counter around each job, and why the monitor on a
/// plain object stayed: <see cref="Lock"/> measured no faster uncontended.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PrimitivesConfig))]
public class HotPathPrimitivesBenchmarks
{
    private readonly object _monitor = new();
    private readonly Lock _lock = new();
    private int _counter;
    private long _sink;

    [Benchmark(Baseline = true)]
    public long ClockRead_TimeProviderSystem() => TimeProvider.System.GetUtcNow().UtcTicks;

    [Benchmark]
    public long ClockRead_StopwatchTimestamp() => System.Diagnostics.Stopwatch.GetTimestamp();

    [Benchmark]
    public long LockEnterExit_MonitorOnObject()
    {
        lock (_monitor)
        {
            return ++_sink;
        }
    }

    [Benchmark]
    public long LockEnterExit_SystemThreadingLock()
    {
        lock (_lock)
        {
            return ++_sink;
        }
    }

    [Benchmark]
    public int InterlockedIncrementDecrement()
    {
        Interlocked.Increment(ref _counter);
        return Interlocked.Decrement(ref _counter);
    }
}
