using InProc.Tests.Support;

namespace InProc.Tests.Recurring;

/// <summary>
/// A job that outlives its interval (it waits on a gate the test opens), on real workers and a fake clock: what
/// the next slots do under each overlap policy.
/// </summary>
public sealed class RecurringOverlapTests
{
    private static async Task<TestHost> StartAsync(OverlapPolicy policy)
    {
        var runs = 0;
        return await TestHost.StartAsync(null, b => b
            .AddJob<BlockingJob>()
            .AddRecurringJob<BlockingJob, Blocking>("slow", "* * * * *", _ => new Blocking(Interlocked.Increment(ref runs)), r => r.Overlap = policy));
    }

    private static RecurringJobSnapshot Slow(TestHost host) => host.Monitor.GetRecurringJobs()[0];

    [Fact]
    public async Task Skip_SlotsWhileTheRunRuns_DoNotRun()
    {
        await using var host = await StartAsync(OverlapPolicy.Skip);
        var start = host.Clock.GetUtcNow();
        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(1));
        await host.Gates.WaitEnteredAsync(1);
        var first = Slow(host).LastRunJobId!.Value;

        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(2)); // 00:02 and 00:03 come while run 1 runs
        Assert.Equal(first, Slow(host).LastRunJobId);

        host.Gates.Open(1);
        await host.WaitForStateAsync(first, JobState.Succeeded);
        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(1));
        await host.Gates.WaitEnteredAsync(2);

        Assert.Equal(start.AddMinutes(4), Slow(host).LastRunSlot);
        Assert.Equal(2, host.Probe.Runs.Count);
        host.Gates.OpenAll();
    }

    [Fact]
    public async Task Allow_SlotWhileTheRunRuns_RunsBesideIt()
    {
        await using var host = await StartAsync(OverlapPolicy.Allow);
        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(1));
        await host.Gates.WaitEnteredAsync(1);

        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(1));
        await host.Gates.WaitEnteredAsync(2);

        Assert.Equal(2, host.Probe.Running);
        host.Gates.OpenAll();
    }

    [Fact]
    public async Task Queue_SlotWhileTheRunRuns_RunsAfterItOnceAndForItsSlot()
    {
        await using var host = await StartAsync(OverlapPolicy.Queue);
        var start = host.Clock.GetUtcNow();
        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(1));
        await host.Gates.WaitEnteredAsync(1);
        var first = Slow(host).LastRunJobId!.Value;

        // 00:02 waits for run 1; 00:03 finds a slot waiting already and is skipped (at most one queued run).
        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(2));
        Assert.Single(host.Probe.Runs);

        host.Gates.Open(1);
        await host.WaitForStateAsync(first, JobState.Succeeded);
        host.Clock.AdvanceStepwise(TimeSpan.Zero); // the end of run 1 armed the timer for now: the held slot runs on it
        await host.Gates.WaitEnteredAsync(2);

        Assert.Equal(start.AddMinutes(2), Slow(host).LastRunSlot);
        Assert.Equal(2, host.Probe.Runs.Count);
        Assert.Equal(1, host.Probe.MaxConcurrency);
        host.Gates.OpenAll();
    }

    [Fact]
    public async Task Trigger_WhileTheRunRuns_RunsBesideItWhateverThePolicy()
    {
        await using var host = await StartAsync(OverlapPolicy.Skip);
        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(1));
        await host.Gates.WaitEnteredAsync(1);

        var triggered = host.Monitor.TriggerRecurring("slow");
        await host.Gates.WaitEnteredAsync(2);

        Assert.Equal(triggered, Slow(host).LastRunJobId);
        Assert.Equal(2, host.Probe.Running);
        host.Gates.OpenAll();
    }
}
