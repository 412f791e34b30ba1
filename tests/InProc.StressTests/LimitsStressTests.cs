using System.Collections.Concurrent;
using InProc.Hosting;
using InProc.StressTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InProc.StressTests;

/// <summary>Unique keys and concurrency limits under real threads on the system clock, bounded by counts and generous waits.</summary>
public sealed class LimitsStressTests
{
    private const int Producers = 8;
    private const int Keys = 1_000;

    [Fact]
    public async Task UniqueBy_EightProducersRaceForTheSameThousandKeys_ExactlyOneJobPerKeyAndEveryCallerToldTheTruth()
    {
        var gate = new LimitGates();
        using var host = Build(gate, b => b.AddJob<LimitedJob, Limited>(j =>
        {
            j.Queue = "q";
            j.Retry = RetryPolicy.None;
            j.UniqueBy(m => m.Key);
        }), workers: 4, capacity: 4 * Keys);
        await host.StartAsync().WaitAsync(StressHost.Patience);
        var jobs = host.Services.GetRequiredService<IJobQueue>();
        var answers = new ConcurrentBag<(int Key, EnqueueResult Result)>();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var producers = Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            await go.Task;
            var order = Enumerable.Range(0, Keys).OrderBy(_ => Random.Shared.Next()).ToArray();
            foreach (var key in order)
            {
                answers.Add((key, await jobs.EnqueueWithResultAsync(new Limited($"k{key}", Block: true))));
            }
        })).ToList();
        go.SetResult();
        await Task.WhenAll(producers).WaitAsync(StressHost.Patience);

        var monitor = host.Services.GetRequiredService<IJobMonitor>();
        Assert.Equal(Keys, monitor.GetJobs(new JobQuery { Take = JobQuery.MaxTake }).TotalCount);
        Assert.Equal(Producers * Keys, answers.Count);
        foreach (var byKey in answers.GroupBy(a => a.Key))
        {
            // Exactly one caller per key was told "new"; the seven others "duplicate", each with that job's id.
            var created = Assert.Single(byKey, a => !a.Result.IsDuplicate);
            Assert.All(byKey, a => Assert.Equal(created.Result.Id, a.Result.Id));
            Assert.Equal($"k{byKey.Key}", ((Limited)monitor.GetJobDetail(created.Result.Id)!.Message!).Key);

            // The entry points that cannot say "duplicate" name the same job.
            Assert.Equal(created.Result.Id, await jobs.EnqueueAsync(new Limited($"k{byKey.Key}", Block: true)));
            Assert.Equal(created.Result.Id, TryEnqueue(jobs, new Limited($"k{byKey.Key}", Block: true)));
        }

        var runtime = host.Services.GetRequiredService<InProcRuntime>();
        Assert.Equal(Keys, runtime.UniqueKeys.Count);
        gate.Release.TrySetResult();
        await host.StopAsync().WaitAsync(StressHost.Patience);
        Assert.Equal(Keys, gate.Ran);
        Assert.Equal(0, runtime.UniqueKeys.Count); // every key released by its job's end
    }

    [Fact]
    public async Task ConcurrencyLimit_SixtyFourJobsPerKeyWithCancels_NeverMoreThanTwoAndOtherKeysRunMeanwhile()
    {
        const int limited = 4;
        const int perKey = 64;
        const int others = 400;
        var gate = new LimitGates();
        using var host = Build(gate, b => b.AddJob<LimitedJob, Limited>(j =>
        {
            j.Queue = "q";
            j.Retry = RetryPolicy.None;
            j.ConcurrencyLimit(m => m.Key, 2);
        }), workers: 12, capacity: 2_000);
        await host.StartAsync().WaitAsync(StressHost.Patience);
        var jobs = host.Services.GetRequiredService<IJobQueue>();
        var monitor = host.Services.GetRequiredService<IJobMonitor>();

        var limitedIds = new ConcurrentBag<JobId>();
        var producers = Enumerable.Range(0, limited).Select(k => Task.Run(async () =>
        {
            for (var i = 0; i < perKey; i++)
            {
                limitedIds.Add(await jobs.EnqueueAsync(new Limited($"limited{k}", Block: true)));
            }
        })).ToList();
        await Task.WhenAll(producers).WaitAsync(StressHost.Patience);

        // Two per limited key run and block (8 workers); their other 62 wait without a worker, so the 4 workers left
        // run every other key's jobs now, with the limited ones still blocked.
        await gate.WaitRanAsync(limited * 2);
        var cancelled = limitedIds.Where((_, i) => i % 5 == 0).Count(jobs.Cancel);
        var otherIds = new List<JobId>();
        for (var i = 0; i < others; i++)
        {
            otherIds.Add(await jobs.EnqueueAsync(new Limited($"other{i % 100}", Block: false)));
        }

        await gate.WaitDoneAsync(others); // every other key's job ran to its end while the limited ones still block
        Assert.Equal(limited * 2 + others, gate.Ran); // and no third job of a limited key started meanwhile
        Assert.All(Enumerable.Range(0, limited), k => Assert.Equal(2, gate.MaxRunning($"limited{k}")));

        gate.Release.TrySetResult();
        await gate.WaitDoneAsync(limited * perKey - cancelled + others);
        await host.StopAsync().WaitAsync(StressHost.Patience);

        Assert.All(Enumerable.Range(0, limited), k => Assert.Equal(2, gate.MaxRunning($"limited{k}")));
        Assert.All(Enumerable.Range(0, 100), k => Assert.True(gate.MaxRunning($"other{k}") <= 2));
        Assert.All(limitedIds, id => Assert.Contains(monitor.GetJob(id)!.State, new[] { JobState.Succeeded, JobState.Cancelled }));
        Assert.Equal(0, ConcurrencyKeys(host)); // the gate kept no key: no permit leaked by a cancel or a hand-over
    }

    private static int ConcurrencyKeys(IHost host)
    {
        var runtime = host.Services.GetRequiredService<InProcRuntime>();
        var field = typeof(InProcRuntime).GetField("_admission", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        var admission = (InProc.Queues.JobAdmission)field.GetValue(runtime)!;
        return admission.Registry.Values.Sum(r => r.Limits?.Concurrency?.KeyCount ?? 0);
    }

    private static JobId TryEnqueue(IJobQueue jobs, Limited message)
    {
        Assert.True(jobs.TryEnqueue(message, out var id));
        return id;
    }

    private static IHost Build(LimitGates gate, Action<InProcBuilder> jobs, int workers, int capacity) =>
        new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton(TimeProvider.System);
                services.AddSingleton(gate);
                services.Configure<HostOptions>(h => h.ShutdownTimeout = StressHost.Patience);
                jobs(services.AddInProc(o =>
                {
                    o.AddQueue("q", q => (q.Workers, q.Capacity, q.FullMode) = (workers, capacity, QueueFullMode.Wait));
                    o.ShutdownTimeout = StressHost.Patience;
                    o.FinishedJobRetention = 100_000;
                }));
            })
            .Build();
}

internal sealed record Limited(string Key, bool Block);

internal sealed class LimitedJob(LimitGates gates) : IJob<Limited>
{
    public async Task RunAsync(Limited message, JobContext context)
    {
        using (gates.Enter(message.Key))
        {
            await Task.Yield();
            if (message.Block)
            {
                await gates.Release.Task.WaitAsync(context.CancellationToken);
            }
        }
    }
}

/// <summary>The stress jobs' shared gate and per-key counters.</summary>
internal sealed class LimitGates
{
    private readonly ConcurrentDictionary<string, int[]> _keys = new(StringComparer.Ordinal); // [running, max]
    private readonly object _ranLock = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waits = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _doneWaits = [];
    private int _ran;
    private int _done;

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Ran => Volatile.Read(ref _ran);

    public int MaxRunning(string key) => _keys.TryGetValue(key, out var c) ? Volatile.Read(ref c[1]) : 0;

    /// <summary>Completes when at least <paramref name="count"/> jobs have entered (signalled by each entry, no polling).</summary>
    public Task WaitRanAsync(int count)
    {
        lock (_ranLock)
        {
            if (_ran >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Add((count, reached));
            return reached.Task.WaitAsync(StressHost.Patience);
        }
    }

    /// <summary>Completes when at least <paramref name="count"/> jobs have left their body.</summary>
    public Task WaitDoneAsync(int count)
    {
        lock (_ranLock)
        {
            if (_done >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _doneWaits.Add((count, reached));
            return reached.Task.WaitAsync(StressHost.Patience);
        }
    }

    public IDisposable Enter(string key)
    {
        var counts = _keys.GetOrAdd(key, _ => new int[2]);
        var now = Interlocked.Increment(ref counts[0]);
        int max;
        while (now > (max = Volatile.Read(ref counts[1])) && Interlocked.CompareExchange(ref counts[1], now, max) != max)
        {
        }

        lock (_ranLock)
        {
            _ran++;
            foreach (var wait in _waits.Where(w => w.Count <= _ran).ToList())
            {
                wait.Reached.TrySetResult();
                _waits.Remove(wait);
            }
        }

        return new Exit(this, counts);
    }

    private void Done()
    {
        lock (_ranLock)
        {
            _done++;
            foreach (var wait in _doneWaits.Where(w => w.Count <= _done).ToList())
            {
                wait.Reached.TrySetResult();
                _doneWaits.Remove(wait);
            }
        }
    }

    private sealed class Exit(LimitGates gates, int[] counts) : IDisposable
    {
        public void Dispose()
        {
            Interlocked.Decrement(ref counts[0]);
            gates.Done();
        }
    }
}
