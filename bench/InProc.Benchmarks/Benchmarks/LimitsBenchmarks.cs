using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;
using InProc.Benchmarks.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Benchmarks.Benchmarks;

/// <summary>
/// Issue 13 — what a unique key and a limit cost per job, against a plain job in the same run. Each case is one whole
/// job in synchronous mode (admission, store, the limit check, execution, completion, the release on the change feed)
/// on the caller's thread, so the difference to <see cref="Plain"/> is what the key or the limit adds to an enqueue and
/// an execution together, with no queue or worker noise. <see cref="Plain_BesideLimitedJobs"/> is a plain job in a
/// runtime where another job has limits (the limit observer is then on the feed); <see cref="UniqueBy_Duplicate"/> is
/// an enqueue answered "duplicate": the unique check alone, no job created.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PrimitivesConfig))]
public class LimitsBenchmarks
{
    private static readonly KeyedNoop Message = new(42);

    private ServiceProvider? _plain;
    private ServiceProvider? _mixed;
    private ServiceProvider? _unique;
    private ServiceProvider? _concurrency;
    private ServiceProvider? _rate;
    private IJobQueue _plainQueue = null!;
    private IJobQueue _mixedQueue = null!;
    private IJobQueue _uniqueQueue = null!;
    private IJobQueue _concurrencyQueue = null!;
    private IJobQueue _rateQueue = null!;

    [GlobalSetup]
    public void Setup()
    {
        _plainQueue = Build(b => b.AddJob<KeyedNoopJob>(), out _plain);
        _mixedQueue = Build(b => b.AddJob<KeyedNoopJob>().AddJob<OtherNoopJob, OtherNoop>(j => j.ConcurrencyLimit(m => m.Key, 4)), out _mixed);
        _uniqueQueue = Build(b => b.AddJob<KeyedNoopJob, KeyedNoop>(j => j.UniqueBy(m => m.Key)), out _unique);
        _concurrencyQueue = Build(b => b.AddJob<KeyedNoopJob, KeyedNoop>(j => j.ConcurrencyLimit(m => m.Key, 4)), out _concurrency);
        _rateQueue = Build(b => b.AddJob<KeyedNoopJob, KeyedNoop>(j => j.RateLimit(m => m.Key, new FixedWindowRateLimiterOptions { PermitLimit = int.MaxValue, Window = TimeSpan.FromHours(1) })), out _rate);

        // Held for the whole run (an hour ahead on a clock that does not move): every enqueue of key 7 is a duplicate.
        _uniqueQueue.ScheduleAsync(new KeyedNoop(7), TimeSpan.FromHours(1)).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain?.Dispose();
        _mixed?.Dispose();
        _unique?.Dispose();
        _concurrency?.Dispose();
        _rate?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public ValueTask<JobId> Plain() => _plainQueue.EnqueueAsync(Message);

    [Benchmark]
    public ValueTask<JobId> Plain_BesideLimitedJobs() => _mixedQueue.EnqueueAsync(Message);

    [Benchmark]
    public ValueTask<JobId> UniqueBy() => _uniqueQueue.EnqueueAsync(Message);

    [Benchmark]
    public ValueTask<JobId> UniqueBy_Duplicate() => _uniqueQueue.EnqueueAsync(new KeyedNoop(7));

    [Benchmark]
    public ValueTask<JobId> ConcurrencyLimit() => _concurrencyQueue.EnqueueAsync(Message);

    [Benchmark]
    public ValueTask<JobId> RateLimit() => _rateQueue.EnqueueAsync(Message);

    private static IJobQueue Build(Action<InProcBuilder> jobs, out ServiceProvider provider)
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        var inproc = services.AddInProc(o => o.FinishedJobRetention = 1_000);
        jobs(inproc);
        inproc.UseSynchronousMode();
        provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IJobQueue>();
    }
}

/// <summary>A no-op job's message with a key.</summary>
public sealed record KeyedNoop(int Key);

public sealed class KeyedNoopJob : IJob<KeyedNoop>
{
    public Task RunAsync(KeyedNoop message, JobContext context) => Task.CompletedTask;
}

/// <summary>Another job type, with a limit, so a runtime has the limit machinery composed beside a plain job.</summary>
public sealed record OtherNoop(int Key);

public sealed class OtherNoopJob : IJob<OtherNoop>
{
    public Task RunAsync(OtherNoop message, JobContext context) => Task.CompletedTask;
}
