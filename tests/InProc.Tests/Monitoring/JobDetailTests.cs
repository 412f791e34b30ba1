using System.Diagnostics;
using InProc.Tests.Support;

namespace InProc.Tests.Monitoring;

/// <summary>Issue 11: what a dashboard's job page needs from the core — the detail of a job, and "run now".</summary>
public sealed class JobDetailTests
{
    [Fact]
    public async Task RunNow_ScheduledJob_RunsAtOnceAndNotAgainAtItsDueTime()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>());
        var id = await host.Jobs.ScheduleAsync(new Ping(1), TimeSpan.FromHours(1));

        Assert.True(host.Monitor.RunNow(id));
        await host.WaitForStateAsync(id, JobState.Succeeded);
        host.Clock.AdvanceStepwise(TimeSpan.FromHours(2)); // its old heap entry comes due and is skipped

        Assert.Single(host.Probe.Runs, r => r.Context.Id == id);
        Assert.False(host.Monitor.RunNow(id)); // finished: nothing to run
    }

    [Fact]
    public async Task RunNow_JobWaitingForItsRetry_RunsTheNextAttemptNow()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.Fixed(3, TimeSpan.FromHours(1))));
        var id = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 2));
        await host.WaitForStateAsync(id, JobState.Retrying, 2);

        Assert.True(host.Monitor.RunNow(id));

        var done = await host.WaitForStateAsync(id, JobState.Succeeded);
        Assert.Equal(2, done.Attempt);
    }

    [Fact]
    public async Task RunNow_QueuedOrUnknownJob_ReturnsFalse()
    {
        await using var host = await TestHost.StartAsync(o => o.AddQueue("default", q => q.Workers = 1), b => b.AddJob<BlockingJob>());
        await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);
        var queued = await host.Jobs.EnqueueAsync(new Blocking(1));

        Assert.False(host.Monitor.RunNow(queued));
        Assert.False(host.Monitor.RunNow(new JobId(1, 2)));
        host.Gates.Open(0);
        host.Gates.Open(1);
    }

    [Fact]
    public async Task GetJobDetail_ScheduledJobEnqueuedInATrace_HasItsMessageAndTraceId()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>());
        using var request = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        var id = await host.Jobs.ScheduleAsync(new Ping(7), TimeSpan.FromHours(1));
        request.Stop();

        var detail = host.Monitor.GetJobDetail(id)!;

        Assert.Equal(new Ping(7), detail.Message);
        Assert.Equal(request.TraceId.ToHexString(), detail.TraceId);
        Assert.Equal(JobState.Scheduled, detail.Job.State);
        Assert.Empty(detail.FailedAttempts);
    }

    [Fact]
    public async Task GetJobDetail_FailedTwiceThenSucceeded_ListsBothFailedAttemptsAndKeepsNoMessage()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.Fixed(5, TimeSpan.FromSeconds(10))));
        var id = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 3));
        await host.WaitForStateAsync(id, JobState.Retrying, 2);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(10));
        await host.WaitForStateAsync(id, JobState.Retrying, 3);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(10));
        await host.WaitForStateAsync(id, JobState.Succeeded);

        var detail = host.Monitor.GetJobDetail(id)!;

        Assert.Equal([1, 2], detail.FailedAttempts.Select(a => a.Attempt));
        Assert.All(detail.FailedAttempts, a => Assert.Equal(typeof(IOException).FullName, a.ErrorType));
        Assert.True(detail.FailedAttempts[1].EndedAt > detail.FailedAttempts[0].EndedAt);
        Assert.Null(detail.Message); // a finished record keeps no message
        Assert.Null(detail.TraceId);
        Assert.Equal(JobState.Succeeded, detail.Job.State);
    }

    [Fact]
    public async Task GetJobDetail_DeadLetter_HasItsMessageAndEveryFailedAttempt()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.None));
        var id = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 0));
        await host.WaitForStateAsync(id, JobState.Failed);

        var detail = host.Monitor.GetJobDetail(id)!;

        Assert.Equal(new Flaky(SucceedOnAttempt: 0), detail.Message);
        Assert.Equal(1, Assert.Single(detail.FailedAttempts).Attempt);
        Assert.Null(host.Monitor.GetJobDetail(new JobId(1, 2)));
    }
}
