using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace InProc.Benchmarks.Infrastructure;

/// <summary>
/// One measured invocation is one whole batch (OperationsPerInvoke = the batch size), set up and drained outside the
/// measurement by [IterationSetup]/[IterationCleanup]. 1 launch, 20 warm-ups, 15 iterations: batches are short, and the
/// shared 2-core machine is noisy, so more iterations (and the Median column) are worth their few seconds. The warm-ups
/// are many because the JIT's tiering takes about a second of running to settle here: a worker's loop is a long-lived
/// async method whose optimized code is only used once the worker re-enters it, so with 5 warm-ups the measured
/// iterations still fell from ~700 to ~160 ns/job one after another (bench/README.md, issue 8, fifth pass).
/// </summary>
public class BatchConfig : ManualConfig
{
    /// <summary>
    /// Set by the program's <c>--smoke</c> switch: the class's own job steps aside (BenchmarkDotNet takes the union rule
    /// from the class's config) so the command line's <c>--job dry --inProcess --memory</c> alone runs, once per case.
    /// </summary>
    public static bool Smoke { get; set; }

    public BatchConfig()
        : this(warmups: 20, iterations: 15)
    {
    }

    protected BatchConfig(int warmups, int iterations)
    {
        if (Smoke)
        {
            UnionRule = ConfigUnionRule.AlwaysUseGlobal;
            return;
        }

        AddJob(Job.Default
            .WithId("Batch")
            .WithLaunchCount(1)
            .WithWarmupCount(warmups)
            .WithIterationCount(iterations)
            .WithInvocationCount(1)
            .WithUnrollFactor(1));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max, StatisticColumn.OperationsPerSecond);
        SummaryStyle = BenchmarkDotNet.Reports.SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend);
    }
}

/// <summary>For multi-second batches (the I/O-bound scenario): 1 warm-up, 3 iterations.</summary>
public sealed class LongBatchConfig : BatchConfig
{
    public LongBatchConfig()
        : base(warmups: 1, iterations: 3)
    {
    }
}
