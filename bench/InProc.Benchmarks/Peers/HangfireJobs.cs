using InProc.Benchmarks.Infrastructure;

namespace InProc.Benchmarks.Peers;

/// <summary>The job bodies as Hangfire methods (public static: no activator involved).</summary>
public static class HangfireJobs
{
    public static Task Noop() => Work.RunNoop();

    public static Task Latency(int index)
    {
        Harness.LatencyHarness.Started(index);
        return Work.RunNoop();
    }
}
