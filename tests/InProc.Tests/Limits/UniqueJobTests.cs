using InProc.Hosting;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Limits;

public sealed class UniqueJobTests
{
    private static Task<TestHost> StartAsync(Action<UniqueJobOptions>? unique = null, Action<JobOptions<Keyed>>? more = null, Action<InProcOptions>? options = null) =>
        TestHost.StartAsync(
            options,
            b => b.AddJob<KeyedJob, Keyed>(j =>
            {
                j.Retry = RetryPolicy.None;
                j.UniqueBy(m => m.Key, unique);
                more?.Invoke(j);
            }),
            s => s.AddSingleton<KeyTracker>());

    private static int HeldKeys(TestHost host) => host.Services.GetRequiredService<InProcRuntime>().UniqueKeys.Count;

    // The result

    [Fact]
    public async Task EnqueueWithResultAsync_KeyHeld_ReturnsTheHoldersIdAsDuplicateAndCreatesNoJob()
    {
        await using var host = await StartAsync();
        var first = await host.Jobs.EnqueueWithResultAsync(new Keyed("order-1", 1, "block"));
        await host.Gates.WaitEnteredAsync(1);

        var second = await host.Jobs.EnqueueWithResultAsync(new Keyed("order-1", 2));

        Assert.False(first.IsDuplicate);
        Assert.Equal(new EnqueueResult(first.Id, IsDuplicate: true), second);
        Assert.Equal(1, host.Monitor.GetJobs(new JobQuery()).TotalCount);
        host.Gates.OpenAll();
    }

    [Fact]
    public async Task EnqueueAsyncTryEnqueueScheduleAsync_Duplicate_AllReturnTheHoldersId()
    {
        await using var host = await StartAsync();
        var holder = await host.Jobs.ScheduleAsync(new Keyed("k", 1), TimeSpan.FromHours(1));

        var enqueued = await host.Jobs.EnqueueAsync(new Keyed("k", 2));
        var tried = host.Jobs.TryEnqueue(new Keyed("k", 3), out var triedId);
        var delayed = await host.Jobs.ScheduleAsync(new Keyed("k", 4), TimeSpan.FromMinutes(5));
        var at = await host.Jobs.ScheduleAsync(new Keyed("k", 5), host.Clock.GetUtcNow().AddMinutes(5));

        Assert.True(tried);
        Assert.All(new[] { enqueued, triedId, delayed, at }, id => Assert.Equal(holder, id));
        Assert.Equal(1, host.Monitor.GetJobs(new JobQuery()).TotalCount);
    }

    [Fact]
    public async Task EnqueueWithResultAsync_DifferentKeysOrTupleParts_AreDifferentJobs()
    {
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<KeyedJob, Keyed>(j => j.UniqueBy(m => (m.Key, m.Number))),
            s => s.AddSingleton<KeyTracker>());

        var a = await host.Jobs.EnqueueWithResultAsync(new Keyed("a,b", 1), host.Clock.GetUtcNow().AddHours(1));
        var b = await host.Jobs.EnqueueWithResultAsync(new Keyed("a", 1), host.Clock.GetUtcNow().AddHours(1));
        var c = await host.Jobs.EnqueueWithResultAsync(new Keyed("a,b", 2), host.Clock.GetUtcNow().AddHours(1));
        var again = await host.Jobs.EnqueueWithResultAsync(new Keyed("a,b", 1), host.Clock.GetUtcNow().AddHours(1));

        Assert.False(a.IsDuplicate || b.IsDuplicate || c.IsDuplicate);
        Assert.Equal(new EnqueueResult(a.Id, true), again);
    }

    // Release paths: each frees the key, so the next enqueue is a new job

    [Fact]
    public async Task Release_JobSucceeds_FreesTheKey()
    {
        await using var host = await StartAsync();
        var waiter = FeedWaiter.Attach(host.Services);
        var first = await host.Jobs.EnqueueAsync(new Keyed("k", 1));
        await waiter.WhenAsync(first, JobState.Succeeded);

        var next = await host.Jobs.EnqueueWithResultAsync(new Keyed("k", 2));

        Assert.False(next.IsDuplicate);
        Assert.NotEqual(first, next.Id);
    }

    [Fact]
    public async Task Release_JobDeadLettered_FreesTheKey()
    {
        await using var host = await StartAsync();
        var waiter = FeedWaiter.Attach(host.Services);
        var first = await host.Jobs.EnqueueAsync(new Keyed("k", 1, "fail"));
        await waiter.WhenAsync(first, JobState.Failed);

        var next = await host.Jobs.EnqueueWithResultAsync(new Keyed("k", 2));

        Assert.Single(host.Monitor.GetDeadLetters());
        Assert.False(next.IsDuplicate);
    }

    [Fact]
    public async Task Release_JobCancelled_FreesTheKey()
    {
        await using var host = await StartAsync();
        var first = await host.Jobs.ScheduleAsync(new Keyed("k", 1), TimeSpan.FromHours(1));
        Assert.True(host.Jobs.Cancel(first));

        var next = await host.Jobs.EnqueueWithResultAsync(new Keyed("k", 2), host.Clock.GetUtcNow().AddHours(1));

        Assert.False(next.IsDuplicate);
        Assert.Equal(1, HeldKeys(host));
    }

    [Fact]
    public async Task Release_JobAbandonedByFullQueue_FreesTheKey()
    {
        await using var host = await StartAsync(options: o => o.AddQueue("default", q =>
        {
            q.Workers = 1;
            q.Capacity = 1;
            q.FullMode = QueueFullMode.DropOldest;
        }));
        await host.Jobs.EnqueueAsync(new Keyed("running", 1, "block"));
        await host.Gates.WaitEnteredAsync(1);
        var dropped = await host.Jobs.EnqueueAsync(new Keyed("k", 2)); // waits in the queue's one slot
        await host.Jobs.EnqueueAsync(new Keyed("other", 3)); // pushes it out

        Assert.Equal(JobState.Abandoned, host.Monitor.GetJob(dropped)!.State);
        var next = await host.Jobs.EnqueueWithResultAsync(new Keyed("k", 4), host.Clock.GetUtcNow().AddHours(1));

        Assert.False(next.IsDuplicate);
        host.Gates.OpenAll();
    }

    [Fact]
    public async Task Release_JobAbandonedByStop_FreesTheKey()
    {
        await using var host = await StartAsync();
        await host.Jobs.ScheduleAsync(new Keyed("k", 1), TimeSpan.FromHours(1));
        Assert.Equal(1, HeldKeys(host));

        await host.StopAsync();

        Assert.Equal(0, HeldKeys(host));
    }

    [Fact]
    public async Task Release_JobTimesOut_FreesTheKey()
    {
        await using var host = await StartAsync(more: j => j.Timeout = TimeSpan.FromMinutes(1));
        var waiter = FeedWaiter.Attach(host.Services);
        var first = await host.Jobs.EnqueueAsync(new Keyed("k", 1, "block"));
        await host.Gates.WaitEnteredAsync(1);

        host.Clock.Advance(TimeSpan.FromMinutes(2));
        await waiter.WhenAsync(first, JobState.Failed);

        Assert.Equal(typeof(TimeoutException).FullName, host.Monitor.GetJob(first)!.ErrorType);
        Assert.False((await host.Jobs.EnqueueWithResultAsync(new Keyed("k", 2))).IsDuplicate);
    }

    [Fact]
    public async Task Release_QueueRejects_FreesTheKey()
    {
        await using var host = await StartAsync(options: o => o.AddQueue("default", q =>
        {
            q.Workers = 1;
            q.Capacity = 1;
            q.FullMode = QueueFullMode.Reject;
        }));
        await host.Jobs.EnqueueAsync(new Keyed("running", 1, "block"));
        await host.Gates.WaitEnteredAsync(1);
        await host.Jobs.EnqueueAsync(new Keyed("queued", 2));

        await Assert.ThrowsAsync<QueueFullException>(() => host.Jobs.EnqueueAsync(new Keyed("k", 3)).AsTask());

        Assert.Equal(2, HeldKeys(host)); // "running" and "queued"; "k" went back with the refusal
        host.Gates.OpenAll();
    }

    // Retries and delays keep the key

    [Fact]
    public async Task Retry_FailedAttemptWaitingForBackoff_KeepsTheKey()
    {
        await using var host = await StartAsync(more: j => j.Retry = RetryPolicy.Fixed(3, TimeSpan.FromMinutes(1)));
        var waiter = FeedWaiter.Attach(host.Services);
        var first = await host.Jobs.EnqueueAsync(new Keyed("k", 1, "fail"));
        await waiter.WhenAsync(first, JobState.Retrying);

        var duplicate = await host.Jobs.EnqueueWithResultAsync(new Keyed("k", 2));

        Assert.Equal(new EnqueueResult(first, true), duplicate);
    }

    // Scopes and time-to-live

    [Fact]
    public async Task UntilStarted_DuplicateWhileRunning_IsANewJob()
    {
        await using var host = await StartAsync(u => u.Scope = UniqueScope.UntilStarted);
        var waiter = FeedWaiter.Attach(host.Services);
        var first = await host.Jobs.ScheduleAsync(new Keyed("k", 1, "block"), TimeSpan.FromMinutes(1));
        Assert.True((await host.Jobs.EnqueueWithResultAsync(new Keyed("k", 2))).IsDuplicate); // still scheduled

        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await waiter.WhenAsync(first, JobState.Running);
        var whileRunning = await host.Jobs.EnqueueWithResultAsync(new Keyed("k", 3), host.Clock.GetUtcNow().AddHours(1));

        Assert.False(whileRunning.IsDuplicate);
        host.Gates.OpenAll();
    }

    [Fact]
    public async Task Window_AfterTheJobSucceeded_StillDuplicateUntilTheWindowEnds()
    {
        await using var host = await StartAsync(u =>
        {
            u.Scope = UniqueScope.Window;
            u.TimeToLive = TimeSpan.FromMinutes(10);
        });
        var waiter = FeedWaiter.Attach(host.Services);
        var first = await host.Jobs.EnqueueAsync(new Keyed("k", 1));
        await waiter.WhenAsync(first, JobState.Succeeded);

        var within = await host.Jobs.EnqueueWithResultAsync(new Keyed("k", 2));
        host.Clock.Advance(TimeSpan.FromMinutes(10));
        var after = await host.Jobs.EnqueueWithResultAsync(new Keyed("k", 3));

        Assert.Equal(new EnqueueResult(first, true), within);
        Assert.False(after.IsDuplicate);
    }

    [Fact]
    public async Task TimeToLive_HolderStillScheduledPastIt_KeyNoLongerKeepsDuplicatesOut()
    {
        await using var host = await StartAsync(u => u.TimeToLive = TimeSpan.FromMinutes(5));
        var first = await host.Jobs.ScheduleAsync(new Keyed("k", 1), TimeSpan.FromHours(1));

        host.Clock.Advance(TimeSpan.FromMinutes(6));
        var next = await host.Jobs.EnqueueWithResultAsync(new Keyed("k", 2), host.Clock.GetUtcNow().AddHours(1));

        Assert.False(next.IsDuplicate);
        Assert.NotEqual(first, next.Id);
        Assert.True(host.Jobs.Cancel(first)); // the old holder's release leaves the new claim alone
        Assert.True((await host.Jobs.EnqueueWithResultAsync(new Keyed("k", 3))).IsDuplicate);
    }

    [Fact]
    public void TimeToLive_NotPositive_ThrowsSayingWhatToFix()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new UniqueJobOptions { TimeToLive = TimeSpan.Zero });

        Assert.Contains("TimeToLive must be positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UniqueJobOptions_Defaults_UntilFinishedForADayWithoutReplace()
    {
        var options = new UniqueJobOptions();

        Assert.Equal(UniqueScope.UntilFinished, options.Scope);
        Assert.Equal(TimeSpan.FromHours(24), options.TimeToLive);
        Assert.False(options.ReplaceScheduled);
    }

    // Debounce

    [Fact]
    public async Task ReplaceScheduled_DuplicateWhileScheduled_MovesTheJobToTheDuplicatesTime()
    {
        await using var host = await StartAsync(u => u.ReplaceScheduled = true);
        var waiter = FeedWaiter.Attach(host.Services);
        var first = await host.Jobs.ScheduleAsync(new Keyed("k", 1), TimeSpan.FromSeconds(5));
        host.Clock.Advance(TimeSpan.FromSeconds(3));

        var duplicate = await host.Jobs.EnqueueWithResultAsync(new Keyed("k", 2), host.Clock.GetUtcNow().AddSeconds(5));
        host.Clock.Advance(TimeSpan.FromSeconds(4)); // 7 s: past the first time, before the moved one

        Assert.Equal(new EnqueueResult(first, true), duplicate);
        Assert.Equal(JobState.Scheduled, host.Monitor.GetJob(first)!.State);
        Assert.Equal(host.Clock.GetUtcNow().AddSeconds(1), host.Monitor.GetJob(first)!.NextAttemptAt);

        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await waiter.WhenAsync(first, JobState.Succeeded);
        Assert.Single(host.Probe.Runs);
    }

    [Fact]
    public async Task WithoutReplace_DuplicateWhileScheduled_LeavesTheTimeAlone()
    {
        await using var host = await StartAsync();
        var first = await host.Jobs.ScheduleAsync(new Keyed("k", 1), TimeSpan.FromSeconds(5));
        var due = host.Monitor.GetJob(first)!.NextAttemptAt;

        await host.Jobs.ScheduleAsync(new Keyed("k", 2), TimeSpan.FromSeconds(50));

        Assert.Equal(due, host.Monitor.GetJob(first)!.NextAttemptAt);
    }
}
