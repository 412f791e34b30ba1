using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InProc.StoreConformance.Tests;

/// <summary>
/// The store contract as users see it, through IJobQueue and IJobMonitor only: every store runs these same tests
/// (one derived class per store, Contracts.cs), so a store cannot drift from the others. Real time: PostgreSQL decides
/// due times by the database clock, so waits are bounded polls of what the monitor shows, never sleeps.
/// </summary>
public abstract partial class StoreContract<TStore> : IDisposable where TStore : IStoreUnderTest, new()
{
    private readonly TStore _store = new();
    private readonly List<IHost> _hosts = [];

    protected Probe Probe { get; } = new();

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        _store.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task AnEnqueuedJob_RunsOnce_AndTheMonitorShowsItSucceeded()
    {
        var host = await StartAsync();
        var id = await Queue(host).EnqueueAsync(new Work("one"));

        var job = await WaitForAsync(host, id, JobState.Succeeded);
        Assert.Equal((1, "Work", "default"), (job.Attempt, job.MessageType, job.Queue));
        Assert.NotNull(job.StartedAt);
        Assert.NotNull(job.FinishedAt);
        Assert.Null(job.Error);
        Assert.Equal(1, Probe.RunsOf(id));
    }

    [Fact]
    public async Task AFailedAttempt_IsRetried_AndTheDetailKeepsItsError()
    {
        Probe.FailUntilAttempt = 2;
        var host = await StartAsync(b => b.AddJob<WorkJob>(j => j.Retry = RetryPolicy.Fixed(3, TimeSpan.FromMilliseconds(50))));
        var id = await Queue(host).EnqueueAsync(new Work("fail-once"));

        var job = await WaitForAsync(host, id, JobState.Succeeded);
        Assert.Equal(2, job.Attempt);
        Assert.Equal([1, 2], Probe.Runs.Where(r => r.Id == id).Select(r => r.Attempt));
        var failed = Assert.Single(Monitor(host).GetJobDetail(id)!.FailedAttempts);
        Assert.Equal((1, "boom fail-once", typeof(InvalidOperationException).FullName), (failed.Attempt, failed.Error, failed.ErrorType));
    }

    [Fact]
    public async Task AJobOutOfAttempts_IsADeadLetter_ThatCanBeReRunAndPurged()
    {
        Probe.FailUntilAttempt = int.MaxValue;
        var host = await StartAsync(b => b.AddJob<WorkJob>(j => j.Retry = RetryPolicy.None));
        var monitor = Monitor(host);
        var first = await Queue(host).EnqueueAsync(new Work("fail-first"));

        var failed = await WaitForAsync(host, first, JobState.Failed);
        Assert.Equal("boom fail-first", failed.Error);
        var letter = Assert.Single(monitor.GetDeadLetters());
        Assert.Equal((first, 1, "boom fail-first", new Work("fail-first")), (letter.Id, letter.Attempts, letter.ExceptionMessage, letter.Message));

        Probe.FailUntilAttempt = 0;
        Assert.True(monitor.RequeueDeadLetter(first));
        Assert.False(monitor.RequeueDeadLetter(first)); // one re-run, by compare-and-set
        await WaitForAsync(host, first, JobState.Succeeded);
        Assert.Empty(monitor.GetDeadLetters());
        Assert.Equal(2, Probe.RunsOf(first));

        Probe.FailUntilAttempt = int.MaxValue;
        var second = await Queue(host).EnqueueAsync(new Work("fail-second"));
        await WaitForAsync(host, second, JobState.Failed);
        Assert.Equal(1, monitor.PurgeDeadLetters());
        Assert.Empty(monitor.GetDeadLetters());
        Assert.False(monitor.RequeueDeadLetter(second));
    }

    [Fact]
    public async Task AScheduledJob_WaitsUntilDue_RunNowRunsIt_AndCancelEndsAnother()
    {
        var host = await StartAsync();
        var queue = Queue(host);
        var monitor = Monitor(host);
        var later = await queue.ScheduleAsync(new Work("later"), TimeSpan.FromHours(1));
        var never = await queue.ScheduleAsync(new Work("never"), TimeSpan.FromHours(1));

        var scheduled = monitor.GetJob(later)!;
        Assert.Equal(JobState.Scheduled, scheduled.State);
        Assert.InRange(scheduled.NextAttemptAt!.Value, DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(65));

        Assert.True(monitor.RunNow(later));
        await WaitForAsync(host, later, JobState.Succeeded);

        Assert.True(queue.Cancel(never));
        Assert.False(queue.Cancel(never));
        Assert.False(monitor.RunNow(never));
        Assert.Equal(JobState.Cancelled, monitor.GetJob(never)!.State);
        Assert.Equal(0, Probe.RunsOf(never));
    }

    [Fact]
    public async Task ADelayedJob_RunsWhenDue()
    {
        var host = await StartAsync();
        var id = await Queue(host).ScheduleAsync(new Work("soon"), TimeSpan.FromMilliseconds(200));

        var job = await WaitForAsync(host, id, JobState.Succeeded);
        Assert.True(job.StartedAt >= id.CreatedAt.AddMilliseconds(150), $"started at {job.StartedAt:O}, enqueued at {id.CreatedAt:O}: it ran before it was due");
    }

    [Fact]
    public async Task GetJobs_FiltersByStateAndQueue_AndPagesNewestFirst()
    {
        var host = await StartAsync();
        var ids = new List<JobId>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await Queue(host).EnqueueAsync(new Work("page" + i)));
            await WaitForAsync(host, ids[^1], JobState.Succeeded);
        }

        var waiting = await Queue(host).ScheduleAsync(new Work("waiting"), TimeSpan.FromHours(1));
        var monitor = Monitor(host);

        var succeeded = monitor.GetJobs(new JobQuery { State = JobState.Succeeded, Take = 2 });
        Assert.Equal(3, succeeded.TotalCount);
        Assert.Equal([ids[2], ids[1]], succeeded.Items.Select(j => j.Id));
        var oldest = monitor.GetJobs(new JobQuery { State = JobState.Succeeded, OldestFirst = true, Skip = 1, Take = 5 });
        Assert.Equal([ids[1], ids[2]], oldest.Items.Select(j => j.Id));
        Assert.Equal(waiting, Assert.Single(monitor.GetJobs(new JobQuery { State = JobState.Scheduled }).Items).Id);
        Assert.Equal(4, monitor.GetJobs(new JobQuery { Queue = "default" }).TotalCount);
        Assert.Equal(0, monitor.GetJobs(new JobQuery { Queue = "elsewhere" }).TotalCount);
    }

    [Fact]
    public async Task ARunningJob_ShowsItsProgress_AndEndsSucceededWithIt()
    {
        var host = await StartAsync();
        var id = await Queue(host).EnqueueAsync(new Work("held-progress"));

        await WaitUntilAsync(() => Monitor(host).GetJob(id) is { State: JobState.Running, Progress: 0.5 }, "the job to run and report 0.5");
        Assert.Equal("half", Monitor(host).GetJob(id)!.ProgressStatus);
        Probe.Gate.SetResult();
        var done = await WaitForAsync(host, id, JobState.Succeeded);
        Assert.Equal((0.5, "half"), (done.Progress, done.ProgressStatus));
    }

    [Fact]
    public async Task ARunningJob_CannotBeCancelled_AndRunsToItsEnd()
    {
        var host = await StartAsync();
        var id = await Queue(host).EnqueueAsync(new Work("held-cancel"));
        await WaitUntilAsync(() => Monitor(host).GetJob(id)?.State == JobState.Running, "the job to run");

        Assert.False(Queue(host).Cancel(id)); // IJobQueue.Cancel: a job that has not started only
        Assert.Equal(JobState.Running, Monitor(host).GetJob(id)!.State);
        Probe.Gate.SetResult();
        await WaitForAsync(host, id, JobState.Succeeded);
        Assert.Equal(1, Probe.RunsOf(id));
    }

    [Fact]
    public async Task GetHosts_ListsThisProcess_WithItsWorkersAndWhatItRuns()
    {
        var host = await StartAsync();
        var id = await Queue(host).EnqueueAsync(new Work("held-host"));
        await WaitUntilAsync(() => Monitor(host).GetJob(id)?.State == JobState.Running, "the job to run");

        await WaitUntilAsync(() => Monitor(host).GetHosts().SingleOrDefault(h => h.IsCurrent) is { Running: 1 }, "this host to show one running job");
        var me = Assert.Single(Monitor(host).GetHosts(), h => h.IsCurrent);
        Assert.Equal(new InProcOptions().Queues[0].Workers, me.Workers["default"]); // the default queue, default workers
        Assert.InRange(me.LastHeartbeatAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.True(me.StartedAt <= me.LastHeartbeatAt);
        Probe.Gate.SetResult();
        await WaitForAsync(host, id, JobState.Succeeded);
    }

    [Fact]
    public async Task AnUnknownId_IsNoJob_ForEveryCall()
    {
        var host = await StartAsync();
        var real = await Queue(host).EnqueueAsync(new Work("real"));
        await WaitForAsync(host, real, JobState.Succeeded);
        var text = real.ToString();
        var unknown = JobId.Parse(text[..^1] + (text[^1] == '0' ? '1' : '0'));

        var monitor = Monitor(host);
        Assert.Null(monitor.GetJob(unknown));
        Assert.Null(monitor.GetJobDetail(unknown));
        Assert.False(Queue(host).Cancel(unknown));
        Assert.False(monitor.RunNow(unknown));
        Assert.False(monitor.RequeueDeadLetter(unknown));
    }

    [Fact]
    public async Task AnAcknowledgedJob_OutlivesARestart_OnlyInADurableStore()
    {
        var first = await StartAsync();
        var id = await Queue(first).ScheduleAsync(new Work("kept"), TimeSpan.FromHours(1));
        await first.StopAsync();

        var second = await StartAsync();
        var job = Monitor(second).GetJob(id);
        if (_store.KeepsJobsAcrossRestart)
        {
            Assert.Equal(JobState.Scheduled, job?.State);
            Assert.True(Monitor(second).RunNow(id));
            await WaitForAsync(second, id, JobState.Succeeded);
        }
        else
        {
            Assert.Null(job); // the memory store says so in its docs: a restart starts empty
        }
    }

    [Fact]
    public async Task ARecurringJob_IsListed_AndATriggerRunsItOnce()
    {
        var host = await StartAsync(b => b.AddJob<TickJob>().AddRecurringJob<TickJob, Tick>("nightly", "0 3 1 1 *", slot => new Tick(slot)));
        var monitor = Monitor(host);
        var listed = Assert.Single(monitor.GetRecurringJobs());
        Assert.Equal(("nightly", "0 3 1 1 *", false), (listed.Name, listed.Expression, listed.IsPaused));
        Assert.True(listed.NextRunAt > DateTimeOffset.UtcNow);

        var id = monitor.TriggerRecurring("nightly");
        Assert.NotNull(id);
        await WaitForAsync(host, id.Value, JobState.Succeeded);
        Assert.Equal(1, Probe.RunsOf(id.Value));
        Assert.Contains("'nightly'", Assert.Throws<ArgumentException>(() => monitor.TriggerRecurring("unknown")).Message, StringComparison.Ordinal);
    }

    private async Task<IHost> StartAsync(Action<InProcBuilder>? jobs = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(Probe);
        var inproc = builder.Services.AddInProc(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        (jobs ?? (b => b.AddJob<WorkJob>()))(inproc);
        _store.Use(inproc);
        var host = builder.Build();
        _hosts.Add(host);
        await host.StartAsync();
        return host;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited 30 s for {what}");
            await Task.Delay(10); // polling a real store's state, not waiting for time to pass
        }
    }

    private static IJobQueue Queue(IHost host) => host.Services.GetRequiredService<IJobQueue>();

    private static IJobMonitor Monitor(IHost host) => host.Services.GetRequiredService<IJobMonitor>();

    /// <summary>A bounded poll of the monitor (30 s) until the job is in <paramref name="state"/>; fails with what it last showed.</summary>
    private static async Task<JobSnapshot> WaitForAsync(IHost host, JobId id, JobState state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JobSnapshot? last;
        while ((last = Monitor(host).GetJob(id))?.State != state)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"job {id} did not reach {state} within 30 s; the monitor last showed {last?.State.ToString() ?? "no job"}");
            }

            await Task.Delay(10); // polling a real store's state, not waiting for time to pass
        }

        return last;
    }
}
