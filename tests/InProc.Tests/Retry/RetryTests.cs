using System.Collections.Concurrent;
using InProc.Tests.Support;

namespace InProc.Tests.Retry;

public sealed class RetryTests
{
    [Fact]
    public async Task Failure_DefaultExponentialPolicy_RetriesAtDueTimesWithinJitterBounds()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<FlakyJob>());
        var id = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 0));
        var expected = new[] { 2, 4, 8, 16 };

        for (var failed = 1; failed <= expected.Length; failed++)
        {
            // After attempt N fails the job waits as Retrying for attempt N + 1.
            var waiting = await host.WaitForStateAsync(id, JobState.Retrying, failed + 1);
            var failedAt = host.Clock.GetUtcNow();
            var delay = waiting.NextAttemptAt!.Value - failedAt;
            var nominal = TimeSpan.FromSeconds(expected[failed - 1]);
            Assert.InRange(delay, nominal * 0.75, nominal);

            host.Clock.AdvanceStepwise(delay - TimeSpan.FromTicks(1));
            Assert.Equal(JobState.Retrying, host.Monitor.GetJob(id)!.State); // not a tick early (due jobs leave Retrying inside Advance)
            Assert.Equal(failed, host.Probe.Runs.Count);
            host.Clock.AdvanceStepwise(TimeSpan.FromTicks(1));
        }

        var dead = await host.WaitForStateAsync(id, JobState.Failed);
        Assert.Equal(5, dead.Attempt);
        Assert.Equal([1, 2, 3, 4, 5], host.Probe.Runs.Select(r => r.Context.Attempt));
    }

    [Fact]
    public async Task Failure_TwiceThenSuccess_SucceedsOnAttemptThree()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.Fixed(5, TimeSpan.FromSeconds(10))));
        var id = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 3));

        await host.WaitForStateAsync(id, JobState.Retrying, 2);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(10));
        await host.WaitForStateAsync(id, JobState.Retrying, 3);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(10));
        var done = await host.WaitForStateAsync(id, JobState.Succeeded);

        Assert.Equal(3, done.Attempt);
        Assert.Null(done.ErrorType); // a success shows no error: the earlier failures are history (issue 8)
        Assert.Null(done.Error);
        Assert.Empty(host.Monitor.GetDeadLetters());
    }

    [Fact]
    public async Task Failure_NonRetryableException_GoesStraightToDeadLetters()
    {
        await using var host = await TestHost.StartAsync(
            o => o.DefaultRetry = RetryPolicy.Exponential().DoNotRetry<ArgumentException>(),
            b => b.AddJob<FlakyJob>());

        var id = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 0, ExceptionKind: "argument"));

        var failed = await host.WaitForStateAsync(id, JobState.Failed);
        Assert.Equal(1, failed.Attempt);
        var letter = Assert.Single(host.Monitor.GetDeadLetters());
        Assert.Equal(id, letter.Id);
        Assert.Equal(1, letter.Attempts);
        Assert.Equal(typeof(ArgumentException).FullName, letter.ExceptionType);
    }

    [Fact]
    public async Task Failure_OneWorkerWithJobWaitingForRetry_NextJobRunsMeanwhile()
    {
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("default", q => q.Workers = 1),
            b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.Fixed(3, TimeSpan.FromHours(1))).AddJob<PingJob>());
        var failing = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 2));
        await host.WaitForStateAsync(failing, JobState.Retrying, 2);

        var next = await host.Jobs.EnqueueAsync(new Ping(1));

        await host.WaitForStateAsync(next, JobState.Succeeded); // the clock has not moved: the retry holds no worker
        Assert.Equal(JobState.Retrying, host.Monitor.GetJob(failing)!.State);
        host.Clock.AdvanceStepwise(TimeSpan.FromHours(1));
        await host.WaitForStateAsync(failing, JobState.Succeeded);
    }

    [Fact]
    public async Task OnJobFailed_EveryFailedAttempt_IsReportedWithItsNextAttempt()
    {
        var reports = new ConcurrentQueue<JobFailedArguments>();
        var lastReport = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(
            o => o.OnJobFailed = report =>
            {
                reports.Enqueue(report);
                if (!report.WillRetry)
                {
                    lastReport.TrySetResult();
                }
            },
            b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.Fixed(2, TimeSpan.FromSeconds(5))));

        var id = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 0));
        await host.WaitForStateAsync(id, JobState.Retrying, 2);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(5));
        await lastReport.Task.WaitAsync(TestHost.Patience);

        Assert.Collection(
            reports,
            first =>
            {
                Assert.Equal(1, first.Attempt);
                Assert.True(first.WillRetry);
                Assert.IsType<IOException>(first.Exception);
            },
            last =>
            {
                Assert.Equal(2, last.Attempt);
                Assert.False(last.WillRetry);
                Assert.Equal(id, last.Id);
            });
    }

    [Fact]
    public async Task OnJobFailed_HookThrows_WorkerKeepsGoingAndJobIsStillDeadLettered()
    {
        await using var host = await TestHost.StartAsync(
            o =>
            {
                o.AddQueue("default", q => q.Workers = 1);
                o.OnJobFailed = _ => throw new InvalidOperationException("error tracker is down");
            },
            b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.None).AddJob<PingJob>());

        var failing = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 0));
        var next = await host.Jobs.EnqueueAsync(new Ping(1));

        await host.WaitForStateAsync(failing, JobState.Failed);
        await host.WaitForStateAsync(next, JobState.Succeeded);
        Assert.Single(host.Monitor.GetDeadLetters());
    }
}
