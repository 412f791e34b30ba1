using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;
using InProc.Sqlite;

namespace InProc.Benchmarks.Benchmarks;

/// <summary>
/// Issue 12, the durable journal. Two questions, each with its baseline in the same run:
/// <list type="bullet">
/// <item><description><b>Enqueue64</b>: 64 concurrent callers each enqueue <see cref="PerCaller"/> no-op jobs; the time is
/// until the last <c>EnqueueAsync</c> returned (for the journal: was committed). Workers (4) run the jobs meanwhile, so
/// their state changes share the commits, as in production. Baseline: the memory store.</description></item>
/// <item><description><b>EndToEnd</b>: the same 64 callers enqueue <see cref="Batch"/> no-op jobs in all and the time is
/// until the last one ran (4 workers). Baseline: the memory store.</description></item>
/// </list>
/// The peer: Hangfire 1.8.25 on Hangfire.Storage.SQLite 0.4.3, the same work (its <c>Enqueue</c> commits too).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(JournalConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class JournalBenchmarks
{
    public const int Callers = 64;
    public const int PerCaller = 16;
    public const int Enqueues = Callers * PerCaller;
    public const int Batch = Enqueues;
    private const int Workers = 4;
    private const int Capacity = 100_000;

    private InProcPeer? _memory;
    private JournalPeer? _journal;
    private JournalPeer? _journalNormal;
    private HangfireSqlitePeer? _hangfire;
    private Task _batch = Task.CompletedTask;

    [GlobalSetup(Targets = [nameof(Enqueue64_Memory), nameof(EndToEnd_Memory)])]
    public void SetupMemory() => _memory = new InProcPeer(Workers, Capacity);

    [GlobalSetup(Targets = [nameof(Enqueue64_Journal), nameof(EndToEnd_Journal)])]
    public void SetupJournal() => _journal = new JournalPeer(Workers, Capacity);

    [GlobalSetup(Targets = [nameof(Enqueue64_JournalNormal), nameof(EndToEnd_JournalNormal)])]
    public void SetupJournalNormal() => _journalNormal = new JournalPeer(Workers, Capacity, SqliteSynchronous.Normal);

    [GlobalSetup(Targets = [nameof(Enqueue64_HangfireSqlite), nameof(EndToEnd_HangfireSqlite)])]
    public void SetupHangfire() => _hangfire = new HangfireSqlitePeer(Workers);

    [IterationSetup(Targets = [nameof(Enqueue64_Memory), nameof(Enqueue64_Journal), nameof(Enqueue64_JournalNormal), nameof(Enqueue64_HangfireSqlite)])]
    public void ArmEnqueues() => _batch = Work.Done.Reset(Enqueues);

    [IterationSetup(Targets = [nameof(EndToEnd_Memory), nameof(EndToEnd_Journal), nameof(EndToEnd_JournalNormal), nameof(EndToEnd_HangfireSqlite)])]
    public void ArmBatch() => _batch = Work.Done.Reset(Batch);

    /// <summary>Every job of the iteration has run before the next begins (an enqueue iteration does not leave a backlog).</summary>
    [IterationCleanup]
    public void WaitBatch() => Countdown.Wait(_batch, TimeSpan.FromMinutes(3), "batch");

    [GlobalCleanup]
    public Task Cleanup() => PeerCleanup.DisposeAllAsync(_memory, _journal, _journalNormal, _hangfire);

    [BenchmarkCategory("Enqueue64"), Benchmark(Baseline = true, OperationsPerInvoke = Enqueues)]
    public Task Enqueue64_Memory() => Producers(_memory!.Queue);

    [BenchmarkCategory("Enqueue64"), Benchmark(OperationsPerInvoke = Enqueues)]
    public Task Enqueue64_Journal() => Producers(_journal!.Queue);

    [BenchmarkCategory("Enqueue64"), Benchmark(OperationsPerInvoke = Enqueues)]
    public Task Enqueue64_JournalNormal() => Producers(_journalNormal!.Queue);

    [BenchmarkCategory("Enqueue64"), Benchmark(OperationsPerInvoke = Enqueues)]
    public Task Enqueue64_HangfireSqlite() => Producers(_hangfire!);

    [BenchmarkCategory("EndToEnd"), Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public Task EndToEnd_Memory() => EndToEnd(_memory!.Queue);

    [BenchmarkCategory("EndToEnd"), Benchmark(OperationsPerInvoke = Batch)]
    public Task EndToEnd_Journal() => EndToEnd(_journal!.Queue);

    [BenchmarkCategory("EndToEnd"), Benchmark(OperationsPerInvoke = Batch)]
    public Task EndToEnd_JournalNormal() => EndToEnd(_journalNormal!.Queue);

    [BenchmarkCategory("EndToEnd"), Benchmark(OperationsPerInvoke = Batch)]
    public async Task EndToEnd_HangfireSqlite()
    {
        await Producers(_hangfire!);
        await _batch;
    }

    /// <summary>Hangfire's client is synchronous: 64 callers are 64 threads blocked in Enqueue, as 64 request threads would be.</summary>
    private static Task Producers(HangfireSqlitePeer hangfire) =>
        Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Factory.StartNew(
            () =>
            {
                for (var i = 0; i < PerCaller; i++)
                {
                    hangfire.EnqueueNoop();
                }
            },
            TaskCreationOptions.LongRunning)));

    private static Task Producers(IJobQueue queue) =>
        Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            var message = NoopMessage.Instance;
            for (var i = 0; i < PerCaller; i++)
            {
                await queue.EnqueueAsync(message);
            }
        })));

    private async Task EndToEnd(IJobQueue queue)
    {
        await Producers(queue);
        await _batch;
    }
}

/// <summary>Short: 1 warm-up, 5 iterations (the Hangfire cases take seconds per iteration on the shared machine).</summary>
public sealed class JournalConfig : BatchConfig
{
    public JournalConfig()
        : base(warmups: 1, iterations: 5)
    {
    }
}
