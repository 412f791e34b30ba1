using Microsoft.Extensions.DependencyInjection;

namespace InProc.PostgreSql.Tests;

/// <summary>Concurrency limits held across hosts by the claim (schema v3), on the real server.</summary>
public sealed class ConcurrencyLimitTests : LimitsTestBase
{
    [Fact]
    public async Task AConcurrencyLimitOfTwo_HoldsAcrossThreeHosts_AndEveryJobFinishes()
    {
        var meter = new ConcurrencyMeter();
        var queues = await StartAsync(3, b =>
        {
            b.Services.AddSingleton(meter);
            b.AddJob<MeteredJob, Metered>(j => j.ConcurrencyLimit(m => m.Key, 2));
        }, workers: 4);
        const int Jobs = 30;
        for (var i = 0; i < Jobs; i++)
        {
            await queues[i % 3].EnqueueAsync(new Metered("shared"));
        }

        await PgTestSchema.WaitUntilAsync(() => Schema.Rows().Count(r => r.State == JobState.Succeeded) == Jobs, seconds: 60);
        Assert.Equal(Jobs, meter.Finished);
        Assert.Equal(2, meter.Max("shared")); // never more than the limit, and the limit was used
        Assert.True(Probes.Count(p => p.Runs.IsEmpty) < 3);
    }

    [Fact]
    public async Task ThreeKeys_OnThreeHosts_EachStayWithinTheirLimit_WhileTheirClaimsInterleave()
    {
        var meter = new ConcurrencyMeter();
        var queues = await StartAsync(3, b =>
        {
            b.Services.AddSingleton(meter);
            b.AddJob<MeteredJob, Metered>(j => j.ConcurrencyLimit(m => m.Key, 2));
        }, workers: 6);
        string[] keys = ["x", "y", "z"];
        const int Jobs = 60;
        await Task.WhenAll(Enumerable.Range(0, Jobs).Select(i => queues[i % 3].EnqueueAsync(new Metered(keys[i % 3])).AsTask()));

        // One claim takes rows of several keys (an advisory lock each, only tried): no claim may wait on another.
        await PgTestSchema.WaitUntilAsync(() => Schema.Rows().Count(r => r.State == JobState.Succeeded) == Jobs, seconds: 60);
        Assert.Equal(Jobs, meter.Finished);
        Assert.Equal([2, 2, 2], keys.Select(meter.Max));
        Assert.Equal("", string.Join("\n", Schema.Logs.Where(l => l.Contains("PostgreSqlClaimFailed", StringComparison.Ordinal)))); // the message, if any
    }

    [Fact]
    public async Task AConcurrencyLimit_IsPerKey_AndAWaitingJobRunsWhenItsKeysSlotIsFreed()
    {
        var queues = await StartAsync(2, b => b.AddJob<HeldJob, Held>(j => j.ConcurrencyLimit(m => m.Key, 1)), workers: 3);
        var a1 = await queues[0].EnqueueAsync(new Held("a"));
        var a2 = await queues[1].EnqueueAsync(new Held("a"));
        var b1 = await queues[1].EnqueueAsync(new Held("b"));

        // "b" runs beside the first "a"; the second "a" waits as a queued row although four workers are free.
        await PgTestSchema.WaitUntilAsync(() => Probes.SelectMany(p => p.Runs).Select(r => r.Key).Order().SequenceEqual(["a", "b"]));
        var rows = Schema.Rows().ToDictionary(r => r.Id, r => r.State);
        var running = Probes.SelectMany(p => p.Runs).Single(r => r.Key == "a").Id;
        Assert.Equal((JobState.Running, JobState.Enqueued, JobState.Running), (rows[running.ToString()], rows[(running == a1 ? a2 : a1).ToString()], rows[b1.ToString()]));

        OpenGates();
        await PgTestSchema.WaitUntilAsync(() => Schema.Rows().All(r => r.State == JobState.Succeeded));
        Assert.Equal(3, Probes.Sum(p => p.Runs.Count));
    }

    [Fact]
    public async Task AConcurrencyKeySelectorThatThrows_FailsTheJobForGood()
    {
        var meter = new ConcurrencyMeter();
        var queues = await StartAsync(2, b =>
        {
            b.Services.AddSingleton(meter);
            b.AddJob<MeteredJob, Metered>(j => j.ConcurrencyLimit(m => m.Key == "bad" ? throw new FormatException("no key") : m.Key, 1));
        });
        var bad = await queues[0].EnqueueAsync(new Metered("bad"));
        var good = await queues[1].EnqueueAsync(new Metered("good"));

        await PgTestSchema.WaitUntilAsync(() => Schema.Rows().Any(r => r.Id == bad.ToString() && r.State == JobState.Failed)
            && Schema.Rows().Any(r => r.Id == good.ToString() && r.State == JobState.Succeeded));
        var detail = Hosts[1].Services.GetRequiredService<IJobMonitor>().GetJobDetail(bad)!;
        Assert.Equal(1, detail.Job.Attempt);
        Assert.Contains("ConcurrencyLimit key selector", detail.Job.Error, StringComparison.Ordinal);
        Assert.Equal(1, meter.Finished); // the good one only
        Assert.Equal(1, meter.Max("good"));
    }
}
