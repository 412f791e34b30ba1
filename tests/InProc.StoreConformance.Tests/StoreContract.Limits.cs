namespace InProc.StoreConformance.Tests;

/// <summary>The contract's unique-key and concurrency-limit half: the same answers from every store (PostgreSQL: across hosts, in the table).</summary>
public abstract partial class StoreContract<TStore>
{
    [Fact]
    public async Task AUniqueJob_GivesADuplicateTheHoldersId_UntilItFinishes()
    {
        var host = await StartAsync(b => b.AddJob<WorkJob, Work>(j => j.UniqueBy(m => m.Key)));
        var holder = await Queue(host).EnqueueAsync(new Work("held-unique"));
        Assert.Equal(holder, await Queue(host).EnqueueAsync(new Work("held-unique")));
        Assert.Equal(new EnqueueResult(holder, IsDuplicate: true), await Queue(host).EnqueueWithResultAsync(new Work("held-unique")));

        Probe.Gate.SetResult();
        await WaitForAsync(host, holder, JobState.Succeeded);

        // In memory and in the journal the key goes back in the change feed just after the transition the monitor
        // shows (PostgreSQL: in the same statement), so the first enqueue after "Succeeded" may still meet it.
        var next = holder;
        await WaitUntilAsync(() => (next = Queue(host).EnqueueAsync(new Work("held-unique")).AsTask().GetAwaiter().GetResult()) != holder, "the key to be released");
        await WaitForAsync(host, next, JobState.Succeeded);
        Assert.Equal((1, 1), (Probe.RunsOf(holder), Probe.RunsOf(next)));
    }

    [Fact]
    public async Task AConcurrencyLimitOfOne_RunsAKeysJobsOneAfterTheOther()
    {
        var host = await StartAsync(b => b.AddJob<WorkJob, Work>(j => j.ConcurrencyLimit(m => m.Key, 1)));
        var first = await Queue(host).EnqueueAsync(new Work("held-limited"));
        await WaitForAsync(host, first, JobState.Running);
        var second = await Queue(host).EnqueueAsync(new Work("held-limited"));
        await WaitUntilAsync(() => Probe.Runs.Any(r => r.Id == first), "the first job to start");
        Assert.Equal((JobState.Enqueued, 0), (Monitor(host).GetJob(second)!.State, Probe.RunsOf(second)));

        Probe.Gate.SetResult();
        var done = await WaitForAsync(host, first, JobState.Succeeded);
        var after = await WaitForAsync(host, second, JobState.Succeeded);
        Assert.True(after.StartedAt >= done.FinishedAt, $"the second started at {after.StartedAt:O}, before the first finished at {done.FinishedAt:O}");
    }
}
