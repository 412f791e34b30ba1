using InProc.Sqlite.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InProc.Sqlite.Tests;

public sealed class RecoveryTests : IDisposable
{
    private readonly JournalDir _journal = new();

    public void Dispose() => _journal.Dispose();

    [Fact]
    public async Task EnqueueAsync_Returns_AfterTheRowIsCommitted()
    {
        using var host = await _journal.StartAsync(b => b.AddJob<BlockingJob>(), o => o.AddQueue("default", q => q.Workers = 1));
        var queue = host.Services.GetRequiredService<IJobQueue>();

        var id = await queue.EnqueueAsync(new Blocking("a"));

        // Read through another connection: what EnqueueAsync acknowledged is in the file, not only in memory.
        var row = Assert.Single(_journal.Rows(), r => r.Id == id.ToString());
        Assert.Equal(typeof(Blocking).FullName, row.Type);
        host.Services.GetRequiredService<Probe>().Gate.SetResult();
        await host.StopAsync();
    }

    [Fact]
    public async Task GracefulStop_QueuedAndScheduledJobs_RunAfterTheNextStart()
    {
        JobId running, queued, scheduled;
        using (var host = await _journal.StartAsync(b => b.AddJob<BlockingJob>(), o => { o.ShutdownTimeout = TimeSpan.Zero; o.ShutdownGracePeriod = TimeSpan.FromSeconds(5); o.AddQueue("default", q => q.Workers = 1); }))
        {
            var queue = host.Services.GetRequiredService<IJobQueue>();
            var probe = host.Services.GetRequiredService<Probe>();
            running = await queue.EnqueueAsync(new Blocking("running"));
            await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));
            queued = await queue.EnqueueAsync(new Blocking("queued"));
            scheduled = await queue.ScheduleAsync(new Blocking("scheduled"), TimeSpan.FromHours(1));
            await host.StopAsync(); // no drain budget: the running job is cancelled, the rest is left
            Assert.Contains(_journal.Logs, l => l.StartsWith("91 ", StringComparison.Ordinal) && l.Contains("3 job(s)", StringComparison.Ordinal));
            Assert.DoesNotContain(_journal.Logs, l => l.StartsWith("10 ", StringComparison.Ordinal)); // JobAbandoned: nothing is reported lost
        }

        using (var host = await _journal.StartAsync(b => b.AddJob<BlockingJob>()))
        {
            var probe = host.Services.GetRequiredService<Probe>();
            probe.Gate.SetResult();
            var rerun = await probe.WaitForRunAsync("running");
            var again = await probe.WaitForRunAsync("queued");
            Assert.Equal((running, 2, true), (rerun.Id, rerun.Attempt, rerun.IsRecovery)); // it was running: attempt + 1
            Assert.Equal((queued, 1, false), (again.Id, again.Attempt, again.IsRecovery));

            var monitor = host.Services.GetRequiredService<IJobMonitor>();
            var waiting = monitor.GetJob(scheduled)!;
            Assert.Equal(JobState.Scheduled, waiting.State);
            Assert.Equal(_journal.Time.GetUtcNow() + TimeSpan.FromHours(1), waiting.NextAttemptAt); // due time kept

            _journal.Time.Advance(TimeSpan.FromHours(1));
            Assert.Equal(scheduled, (await probe.WaitForRunAsync("scheduled")).Id);
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Start_RowLeftRunningByACrash_RunsAgainWithTheNextAttemptAndIsRecovery()
    {
        JobId id;
        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>()))
        {
            id = await host.Services.GetRequiredService<IJobQueue>().ScheduleAsync(new Work("crashed"), TimeSpan.FromHours(1));
            await host.StopAsync();
        }

        _journal.Execute($"UPDATE jobs SET state = 2, attempt = 3 WHERE id = '{id}'"); // what a kill -9 mid-job leaves

        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>()))
        {
            var run = await host.Services.GetRequiredService<Probe>().WaitForRunAsync("crashed");
            Assert.Equal((id, 4, true), (run.Id, run.Attempt, run.IsRecovery));
            await JournalDir.Store(host).FlushAsync();
            Assert.Equal(JobState.Succeeded, Assert.Single(_journal.Rows()).State);
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Start_CrashLoopingJob_IsDeadLetteredInsteadOfRunningAgain()
    {
        JobId id;
        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>(j => j.Retry = RetryPolicy.None)))
        {
            id = await host.Services.GetRequiredService<IJobQueue>().ScheduleAsync(new Work("poison"), TimeSpan.FromHours(1));
            await host.StopAsync();
        }

        // Running for the 4th time after a crash with 1 attempt allowed: three re-runs past the limit already killed the process.
        _journal.Execute($"UPDATE jobs SET state = 2, attempt = 4 WHERE id = '{id}'");

        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>(j => j.Retry = RetryPolicy.None)))
        {
            var letter = Assert.Single(host.Services.GetRequiredService<IJobMonitor>().GetDeadLetters());
            Assert.Equal(id, letter.Id);
            Assert.Equal("InProc.Sqlite.CrashLoop", letter.ExceptionType);
            Assert.Empty(host.Services.GetRequiredService<Probe>().Runs);
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task DeadLetters_SurviveARestart_AndCanBeRerun()
    {
        JobId id;
        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>(j => j.Retry = RetryPolicy.None)))
        {
            var probe = host.Services.GetRequiredService<Probe>();
            probe.Fail = true;
            id = await host.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Work("dead"));
            await probe.WaitForRunAsync("dead");
            var monitor = host.Services.GetRequiredService<IJobMonitor>();
            await WaitUntilAsync(() => monitor.GetDeadLetters().Count == 1);
            await host.StopAsync();
        }

        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>(j => j.Retry = RetryPolicy.None)))
        {
            var monitor = host.Services.GetRequiredService<IJobMonitor>();
            var letter = Assert.Single(monitor.GetDeadLetters());
            Assert.Equal((id, "System.InvalidOperationException", "boom dead", new Work("dead")), (letter.Id, letter.ExceptionType, letter.ExceptionMessage, (Work)letter.Message));
            Assert.Equal(JobState.Failed, monitor.GetJob(id)!.State);

            Assert.True(monitor.RequeueDeadLetter(id));
            var rerun = await host.Services.GetRequiredService<Probe>().WaitForRunAsync("dead");
            Assert.Equal((id, 1), (rerun.Id, rerun.Attempt));
            await WaitUntilAsync(() => monitor.GetJob(id)?.State == JobState.Succeeded);
            await host.StopAsync();
        }

        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>(j => j.Retry = RetryPolicy.None)))
        {
            var monitor = host.Services.GetRequiredService<IJobMonitor>();
            Assert.Empty(monitor.GetDeadLetters()); // the re-run's success was journaled
            Assert.Equal(JobState.Succeeded, monitor.GetJob(id)!.State); // and the finished job is still shown
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Start_RowOfAnUnregisteredType_BecomesADeadLetterThatSaysWhy_LoggedOnce()
    {
        JobId id;
        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>()))
        {
            id = await host.Services.GetRequiredService<IJobQueue>().ScheduleAsync(new Work("renamed"), TimeSpan.FromHours(1));
            await host.StopAsync();
        }

        _journal.Execute("UPDATE jobs SET type = 'Gone.OldMessage'");
        for (var start = 0; start < 2; start++)
        {
            using var host = await _journal.StartAsync(b => b.AddJob<WorkJob>());
            var letter = Assert.Single(host.Services.GetRequiredService<IJobMonitor>().GetDeadLetters());
            Assert.Equal(id, letter.Id);
            Assert.Contains("Gone.OldMessage", letter.ExceptionMessage, StringComparison.Ordinal);
            await host.StopAsync();
        }

        Assert.Single(_journal.Logs, l => l.StartsWith("302 ", StringComparison.Ordinal));
        Assert.Equal(JobState.Failed, Assert.Single(_journal.Rows()).State); // kept, not deleted

        // Re-run from the dead letters while the type is still missing: it fails at once, says why, and is a dead letter again.
        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>()))
        {
            var monitor = host.Services.GetRequiredService<IJobMonitor>();
            Assert.True(monitor.RequeueDeadLetter(id));
            await WaitUntilAsync(() => monitor.GetDeadLetters().Count == 1 && monitor.GetDeadLetters()[0].ExceptionMessage.Contains("cannot run", StringComparison.Ordinal));
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Start_RowWhoseJsonNoLongerBinds_BecomesADeadLetter()
    {
        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>()))
        {
            await host.Services.GetRequiredService<IJobQueue>().ScheduleAsync(new Work("x"), TimeSpan.FromHours(1));
            await host.StopAsync();
        }

        _journal.Execute("UPDATE jobs SET payload = CAST('{\"Key\": 42' AS BLOB)");
        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>()))
        {
            var letter = Assert.Single(host.Services.GetRequiredService<IJobMonitor>().GetDeadLetters());
            Assert.Contains("does not bind", letter.ExceptionMessage, StringComparison.Ordinal);
            Assert.Empty(host.Services.GetRequiredService<Probe>().Runs);
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task JobMessageName_IsTheStoredType_AndFindsTheRowAfterARestart()
    {
        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>()))
        {
            await host.Services.GetRequiredService<IJobQueue>().ScheduleAsync(new NamedWork("named"), TimeSpan.FromHours(1));
            await host.StopAsync();
        }

        Assert.Equal("tests.renamed-work", Assert.Single(_journal.Rows()).Type);
        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>()))
        {
            _journal.Time.Advance(TimeSpan.FromHours(1));
            await host.Services.GetRequiredService<Probe>().WaitForRunAsync("named");
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task RetryingJob_KeepsItsAttemptAndDueTimeAcrossARestart()
    {
        JobId id;
        var retry = RetryPolicy.Fixed(3, TimeSpan.FromMinutes(10));
        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>(j => j.Retry = retry)))
        {
            var probe = host.Services.GetRequiredService<Probe>();
            probe.Fail = true;
            id = await host.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Work("retry"));
            var monitor = host.Services.GetRequiredService<IJobMonitor>();
            await WaitUntilAsync(() => monitor.GetJob(id)?.State == JobState.Retrying);
            await host.StopAsync();
        }

        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>(j => j.Retry = retry)))
        {
            var monitor = host.Services.GetRequiredService<IJobMonitor>();
            var job = monitor.GetJob(id)!;
            Assert.Equal((JobState.Retrying, 2, _journal.Time.GetUtcNow() + TimeSpan.FromMinutes(10)), (job.State, job.Attempt, job.NextAttemptAt));
            Assert.Single(monitor.GetJobDetail(id)!.FailedAttempts);

            _journal.Time.Advance(TimeSpan.FromMinutes(10));
            var run = await host.Services.GetRequiredService<Probe>().WaitForRunAsync("retry");
            Assert.Equal((2, false), (run.Attempt, run.IsRecovery));
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task TryEnqueue_ReturnsAfterTheCommit_AndCancelIsJournaled()
    {
        JobId cancelled;
        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>()))
        {
            var queue = host.Services.GetRequiredService<IJobQueue>();
            Assert.True(queue.TryEnqueue(new Work("try"), out var id));
            Assert.Contains(_journal.Rows(), r => r.Id == id.ToString()); // blocked until its commit

            cancelled = await queue.ScheduleAsync(new Work("cancelled"), TimeSpan.FromMinutes(5));
            Assert.True(queue.Cancel(cancelled));
            await host.Services.GetRequiredService<Probe>().WaitForRunAsync("try");
            await host.StopAsync();
        }

        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>()))
        {
            _journal.Time.Advance(TimeSpan.FromMinutes(10));
            var monitor = host.Services.GetRequiredService<IJobMonitor>();
            Assert.Equal(JobState.Cancelled, monitor.GetJob(cancelled)!.State); // shown as it ended, and never run
            Assert.DoesNotContain(host.Services.GetRequiredService<Probe>().Runs, r => r.Key == "cancelled");
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Start_JobEnqueuedBeforeTheStartInThisProcess_RunsOnce()
    {
        using var host = _journal.Build(b => b.AddJob<WorkJob>());
        var id = await host.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Work("early")); // queued; no worker yet

        await host.StartAsync(); // recovery finds the row, and the job already queued by this process
        var monitor = host.Services.GetRequiredService<IJobMonitor>();
        await WaitUntilAsync(() => monitor.GetJob(id)?.State == JobState.Succeeded);
        await host.StopAsync();
        Assert.Single(host.Services.GetRequiredService<Probe>().Runs);
        Assert.DoesNotContain(_journal.Logs, l => l.StartsWith("92 ", StringComparison.Ordinal)); // nothing was "recovered"
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(10, cancel.Token);
        }
    }
}
