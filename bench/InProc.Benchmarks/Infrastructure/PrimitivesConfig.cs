using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace InProc.Benchmarks.Infrastructure;

/// <summary>
/// The primitives' job: 1 launch, 3 warm-ups, 5 iterations, BenchmarkDotNet's own invocation count (nanosecond
/// operations). Like <see cref="BatchConfig"/>, it steps aside for the command line's job under <c>--smoke</c>.
/// </summary>
public sealed class PrimitivesConfig : ManualConfig
{
    public PrimitivesConfig()
    {
        if (BatchConfig.Smoke)
        {
            UnionRule = ConfigUnionRule.AlwaysUseGlobal;
            return;
        }

        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5));
    }
}
