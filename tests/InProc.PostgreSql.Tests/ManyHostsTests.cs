using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace InProc.PostgreSql.Tests;

public sealed class ManyHostsTests : IDisposable
{
    private readonly PgTestSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Fact]
    public async Task Enqueue_CommitsARow_ThatAWorkerRunsToSuccess()
    {
        var probe = new Probe();
        using var host = await _schema.StartHostAsync(probe, b => b.AddJob<WorkJob>());
        var id = await host.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Work("one"));
        Assert.Contains(_schema.Rows(), r => r.Id == id.ToString()); // committed before EnqueueAsync returned

        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Any(r => r.Id == id.ToString() && r.State == JobState.Succeeded));
        var run = Assert.Single(probe.Runs);
        Assert.Equal((id, 1, false), (run.Id, run.Attempt, run.IsRecovery));
        Assert.Equal(JobState.Succeeded, host.Services.GetRequiredService<IJobMonitor>().GetJob(id)!.State);
        await host.StopAsync();
    }

    [Fact]
    public async Task ThreeHosts_ShareTheWork_AndRunEveryJobExactlyOnce()
    {
        var probes = new[] { new Probe(), new Probe(), new Probe() };
        var hosts = new List<IHost>();
        foreach (var probe in probes)
        {
            hosts.Add(await _schema.StartHostAsync(probe, b => b.AddJob<WorkJob>(), options: o => o.Queues[0].Workers = 4));
        }

        var ids = new List<JobId>();
        for (var i = 0; i < 300; i++)
        {
            ids.Add(await hosts[i % 3].Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Work("w" + i)));
        }

        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Count(r => r.State == JobState.Succeeded) == 300);
        var runs = probes.SelectMany(p => p.Runs).ToList();
        Assert.Equal(300, runs.Count);
        Assert.Equal(ids.OrderBy(i => i), runs.Select(r => r.Id).OrderBy(i => i));
        foreach (var host in hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    [Fact]
    public async Task AFailedAttempt_WaitsAsARowWithADueTime_ThenRunsAgain()
    {
        var probe = new Probe { FailUntilAttempt = 2 };
        using var host = await _schema.StartHostAsync(probe, b => b.AddJob<WorkJob>(j => j.Retry = RetryPolicy.Fixed(3, TimeSpan.FromMilliseconds(300))));
        var id = await host.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Work("retry"));

        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Any(r => r.Id == id.ToString() && r.State == JobState.Succeeded && r.Attempt == 2));
        Assert.Equal([1, 2], probe.Runs.Select(r => r.Attempt));
        var detail = host.Services.GetRequiredService<IJobMonitor>().GetJobDetail(id)!;
        Assert.Equal("boom retry", Assert.Single(detail.FailedAttempts).Error);
        await host.StopAsync();
    }

    [Fact]
    public async Task ADeadLetter_IsSeenFromAnotherHost_WhichCanReRunIt()
    {
        var failing = new Probe { FailUntilAttempt = int.MaxValue };
        var healthy = new Probe();
        using var a = await _schema.StartHostAsync(failing, b => b.AddJob<WorkJob>(j => j.Retry = RetryPolicy.None));
        var id = await a.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Work("dead"));
        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Any(r => r.Id == id.ToString() && r.State == JobState.Failed));
        await a.StopAsync();

        using var b = await _schema.StartHostAsync(healthy, x => x.AddJob<WorkJob>(j => j.Retry = RetryPolicy.None));
        var monitor = b.Services.GetRequiredService<IJobMonitor>();
        var letter = Assert.Single(monitor.GetDeadLetters());
        Assert.Equal((id, "boom dead"), (letter.Id, letter.ExceptionMessage));
        Assert.True(monitor.RequeueDeadLetter(id));
        Assert.False(monitor.RequeueDeadLetter(id)); // one re-run: a compare-and-set on the row

        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Any(r => r.Id == id.ToString() && r.State == JobState.Succeeded));
        Assert.Equal((id, 1), healthy.Runs.Select(r => (r.Id, r.Attempt)).Single());
        Assert.Empty(monitor.GetDeadLetters());
        await b.StopAsync();
    }

    [Fact]
    public async Task AnEnqueueInATransaction_ExistsOnlyIfTheTransactionCommits()
    {
        var probe = new Probe();
        using var host = await _schema.StartHostAsync(probe, b => b.AddJob<WorkJob>());
        var queue = host.Services.GetRequiredService<IJobQueue>();
        await using var connection = new NpgsqlConnection(_schema.ConnectionString);
        await connection.OpenAsync();

        JobId rolledBack;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            rolledBack = await queue.EnqueueAsync(new Work("rolled back"), transaction);
            await transaction.RollbackAsync();
        }

        JobId committed;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            committed = await queue.EnqueueAsync(new Work("committed"), transaction);
            Assert.DoesNotContain(_schema.Rows(), r => r.Id == committed.ToString()); // not visible before the commit
            await transaction.CommitAsync();
        }

        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Any(r => r.Id == committed.ToString() && r.State == JobState.Succeeded));
        Assert.DoesNotContain(_schema.Rows(), r => r.Id == rolledBack.ToString());
        Assert.Equal(["committed"], probe.Runs.Select(r => r.Key));
        await host.StopAsync();
    }

    [Fact]
    public async Task AHostThatStopsRenewingItsLease_LosesTheJobToAnother_AndItsLateResultIsDropped()
    {
        var stuck = new Probe();
        var rescuer = new Probe();
        rescuer.Gate.SetResult();
        Action<PostgreSql.PostgreSqlOptions> lease = o => { o.LeaseDuration = TimeSpan.FromSeconds(1); o.HeartbeatInterval = TimeSpan.FromMilliseconds(200); };
        using var a = await _schema.StartHostAsync(stuck, b => b.AddJob<HeldJob>(), lease);
        var id = await a.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Held("slow"));
        await PgTestSchema.WaitUntilAsync(() => !stuck.Runs.IsEmpty);
        PgTestSchema.Store(a).PauseHeartbeats = true; // frozen: its lease runs out

        using var b = await _schema.StartHostAsync(rescuer, x => x.AddJob<HeldJob>(), lease);
        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Any(r => r.Id == id.ToString() && r.State == JobState.Succeeded));
        var rerun = Assert.Single(rescuer.Runs);
        Assert.Equal((id, 2, true), (rerun.Id, rerun.Attempt, rerun.IsRecovery));

        stuck.Gate.SetResult(); // the first host finishes late: its result must not overwrite the second host's
        await PgTestSchema.Store(a).FlushAsync();
        await PgTestSchema.WaitUntilAsync(() => PgTestSchema.Store(a).LostResults == 1);
        Assert.Equal((JobState.Succeeded, 2), _schema.Rows().Where(r => r.Id == id.ToString()).Select(r => (r.State, r.Attempt)).Single());
        Assert.Contains(_schema.Logs, l => l.Contains("PostgreSqlLeaseLost", StringComparison.Ordinal) && l.Contains(id.ToString(), StringComparison.Ordinal));
        await a.StopAsync();
        await b.StopAsync();
    }

    [Fact]
    public async Task AGracefulStop_HandsBackWhatItClaimed_ForAnotherHostToRun()
    {
        var first = new Probe();
        var second = new Probe();
        second.Gate.SetResult();
        using var a = await _schema.StartHostAsync(first, b => b.AddJob<HeldJob>(), options: o => { o.ShutdownTimeout = TimeSpan.FromMilliseconds(300); o.ShutdownGracePeriod = TimeSpan.FromMilliseconds(300); });
        var id = await a.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Held("interrupted"));
        await PgTestSchema.WaitUntilAsync(() => !first.Runs.IsEmpty);

        await a.StopAsync(); // the job ignores its token: past the grace it is handed back, counted as run
        var row = _schema.Rows().Single(r => r.Id == id.ToString());
        Assert.Equal((JobState.Enqueued, 2, (string?)null), (row.State, row.Attempt, row.Owner));

        using var b = await _schema.StartHostAsync(second, x => x.AddJob<HeldJob>());
        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Any(r => r.Id == id.ToString() && r.State == JobState.Succeeded));
        Assert.Equal((id, 2, true), second.Runs.Select(r => (r.Id, r.Attempt, r.IsRecovery)).Single());
        first.Gate.SetResult();
        await b.StopAsync();
    }

    [Fact]
    public async Task AScheduledJob_CanBeCancelledFromAnotherHost()
    {
        var probe = new Probe();
        using var a = await _schema.StartHostAsync(probe, b => b.AddJob<WorkJob>());
        using var b = await _schema.StartHostAsync(probe, x => x.AddJob<WorkJob>());
        var id = await a.Services.GetRequiredService<IJobQueue>().ScheduleAsync(new Work("later"), TimeSpan.FromHours(1));
        Assert.Equal(JobState.Scheduled, b.Services.GetRequiredService<IJobMonitor>().GetJob(id)!.State);

        Assert.True(b.Services.GetRequiredService<IJobQueue>().Cancel(id));
        Assert.False(a.Services.GetRequiredService<IJobQueue>().Cancel(id));
        Assert.Equal(JobState.Cancelled, _schema.Rows().Single(r => r.Id == id.ToString()).State);
        await a.StopAsync();
        await b.StopAsync();
    }

    [Fact]
    public async Task ARecurringSlot_IsClaimedByOneHostOnly()
    {
        var probe = new Probe();
        using var a = await _schema.StartHostAsync(probe, b => b.AddJob<WorkJob>());
        using var b = await _schema.StartHostAsync(probe, x => x.AddJob<WorkJob>());
        var slot = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
        var claims = await Task.WhenAll(
            PgTestSchema.Store(a).RecurringState.TryClaimSlotAsync("nightly", slot).AsTask(),
            PgTestSchema.Store(b).RecurringState.TryClaimSlotAsync("nightly", slot).AsTask());
        Assert.Equal(1, claims.Count(c => c));
        Assert.False(await PgTestSchema.Store(a).RecurringState.TryClaimSlotAsync("nightly", slot.AddHours(-1))); // an older slot never runs again
        Assert.Equal(slot, await PgTestSchema.Store(b).RecurringState.GetLastSlotAsync("nightly"));
        await a.StopAsync();
        await b.StopAsync();
    }

    [Fact]
    public async Task EveryHost_ListsEveryHost_AndAHostThatStopsLeavesTheList()
    {
        var probe = new Probe();
        using var a = await _schema.StartHostAsync(probe, b => b.AddJob<WorkJob>(), o => o.HostName = "host-a", o => o.Queues[0].Workers = 3);
        using var b = await _schema.StartHostAsync(probe, x => x.AddJob<WorkJob>(), o => o.HostName = "host-b");
        var monitorA = a.Services.GetRequiredService<IJobMonitor>();
        var monitorB = b.Services.GetRequiredService<IJobMonitor>();

        await PgTestSchema.WaitUntilAsync(() => monitorB.GetHosts().Count == 2);
        Assert.Equal(["host-a", "host-b"], monitorB.GetHosts().Select(h => h.Name));
        Assert.Equal([false, true], monitorB.GetHosts().Select(h => h.IsCurrent));
        Assert.Equal([true, false], monitorA.GetHosts().Select(h => h.IsCurrent));
        Assert.Equal(3, monitorB.GetHosts()[0].Workers["default"]);

        await a.StopAsync();
        Assert.Equal(["host-b"], monitorB.GetHosts().Select(h => h.Name)); // a graceful stop leaves the list at once
        await b.StopAsync();
    }

    [Fact]
    public async Task ProgressReportedOnOneHost_IsShownByAnother_WhileRunningAndAfter()
    {
        var probe = new Probe();
        using var a = await _schema.StartHostAsync(probe, x => x.AddJob<HeldJob>());
        using var b = await _schema.StartHostAsync(new Probe(), x => x.AddJob<WorkJob>()); // runs no Held job: it only reads
        var id = await a.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Held("progress"));
        var monitorB = b.Services.GetRequiredService<IJobMonitor>();

        await PgTestSchema.WaitUntilAsync(() => monitorB.GetJob(id) is { State: JobState.Running, Progress: 0.25 });
        Assert.Equal("a quarter", monitorB.GetJob(id)!.ProgressStatus);
        Assert.Equal(0, await PgTestSchema.Store(a).Progress.WriteChangedAsync(CancellationToken.None)); // written once, not again while unchanged

        probe.Gate.SetResult();
        await PgTestSchema.WaitUntilAsync(() => monitorB.GetJob(id)?.State == JobState.Succeeded);
        Assert.Equal((0.25, "a quarter"), (monitorB.GetJob(id)!.Progress, monitorB.GetJob(id)!.ProgressStatus));
        await a.StopAsync();
        await b.StopAsync();
    }
}
