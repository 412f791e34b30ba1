using System.Threading.RateLimiting;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Limits;

/// <summary>Rate limits in synchronous mode: every job runs on the test's thread when the fake clock reaches it, so each step is exact.</summary>
public sealed class RateLimitTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private static Task<TestHost> StartAsync(Action<JobOptions<Keyed>> limits) =>
        TestHost.StartAsync(
            null,
            b => b.AddJob<KeyedJob, Keyed>(j =>
            {
                j.Retry = RetryPolicy.None;
                limits(j);
            }).UseSynchronousMode(),
            s => s.AddSingleton<KeyTracker>());

    private static int StartedBy(TestHost host, IEnumerable<JobId> ids, DateTimeOffset time) =>
        ids.Count(id => host.Monitor.GetJob(id)!.StartedAt is { } started && started <= time);

    [Fact]
    public async Task RateLimit_TokenBucketTenPerSecond_HoldsOnTheFakeClockAndOtherKeysRunAtOnce()
    {
        await using var host = await StartAsync(j => j.RateLimit(m => m.Key, perSecond: 10));
        var start = host.Clock.GetUtcNow();
        var ids = new List<JobId>();
        for (var i = 0; i < 50; i++)
        {
            ids.Add(await host.Jobs.EnqueueAsync(new Keyed("partner", i)));
        }

        var others = new List<JobId>();
        for (var i = 0; i < 10; i++)
        {
            others.Add(await host.Jobs.EnqueueAsync(new Keyed("other", i)));
        }

        Assert.Equal(10, StartedBy(host, ids, start)); // the bucket's burst
        Assert.Equal(10, StartedBy(host, others, start)); // another key has its own bucket
        for (var step = 1; step <= 45; step++)
        {
            host.Clock.Advance(Step);
            var now = host.Clock.GetUtcNow();

            // Exactly one token per 100 ms: never more than the bucket allows, and no permit left unused.
            Assert.Equal(Math.Min(50, 10 + step), StartedBy(host, ids, now));
        }

        Assert.All(ids, id =>
        {
            var job = host.Monitor.GetJob(id)!;
            Assert.Equal(JobState.Succeeded, job.State);
            Assert.Equal(1, job.Attempt); // waiting for a permit is not a failed attempt
            Assert.Null(job.Error);
        });
    }

    [Fact]
    public async Task RateLimit_WaitingJob_IsScheduledForItsPermitAndShowsWhy()
    {
        await using var host = await StartAsync(j => j.RateLimit(m => m.Key, perSecond: 1));
        await host.Jobs.EnqueueAsync(new Keyed("p", 1));

        var waiting = await host.Jobs.EnqueueAsync(new Keyed("p", 2));

        var job = host.Monitor.GetJob(waiting)!;
        Assert.Equal(JobState.Scheduled, job.State);
        Assert.Equal(JobWaitReason.RateLimit, job.WaitingOn);
        Assert.Equal(host.Clock.GetUtcNow().AddSeconds(1), job.NextAttemptAt);
        Assert.Empty(host.Monitor.GetJobDetail(waiting)!.FailedAttempts);

        host.Clock.Advance(TimeSpan.FromSeconds(1));
        job = host.Monitor.GetJob(waiting)!;
        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Null(job.WaitingOn);
    }

    [Fact]
    public async Task RateLimit_Global_SharesOneLimiterAcrossMessages()
    {
        await using var host = await StartAsync(j => j.RateLimit(perSecond: 2));
        var ids = new List<JobId>();
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            ids.Add(await host.Jobs.EnqueueAsync(new Keyed(key, 0)));
        }

        Assert.Equal(2, StartedBy(host, ids, host.Clock.GetUtcNow()));
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(4, StartedBy(host, ids, host.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task RateLimit_FixedWindow_LetsThePermitLimitThroughPerWindow()
    {
        await using var host = await StartAsync(j => j.RateLimit(m => m.Key, new FixedWindowRateLimiterOptions { PermitLimit = 3, Window = TimeSpan.FromSeconds(1) }));
        var ids = new List<JobId>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await host.Jobs.EnqueueAsync(new Keyed("p", i)));
        }

        var counts = new List<int> { StartedBy(host, ids, host.Clock.GetUtcNow()) };
        for (var window = 1; window <= 3; window++)
        {
            host.Clock.Advance(TimeSpan.FromMilliseconds(500));
            counts.Add(StartedBy(host, ids, host.Clock.GetUtcNow()));
            host.Clock.Advance(TimeSpan.FromMilliseconds(500));
            counts.Add(StartedBy(host, ids, host.Clock.GetUtcNow()));
        }

        Assert.Equal([3, 3, 6, 6, 7, 7, 7], counts);
    }

    [Fact]
    public async Task RateLimit_SlidingWindow_PermitsReturnWhenTheirSegmentSlidesOut()
    {
        await using var host = await StartAsync(j => j.RateLimit(m => m.Key, new SlidingWindowRateLimiterOptions
        {
            PermitLimit = 4,
            Window = TimeSpan.FromSeconds(1),
            SegmentsPerWindow = 2,
        }));
        var ids = new List<JobId>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await host.Jobs.EnqueueAsync(new Keyed("p", i)));
        }

        var counts = new List<int> { StartedBy(host, ids, host.Clock.GetUtcNow()) };
        for (var half = 1; half <= 6; half++)
        {
            host.Clock.Advance(TimeSpan.FromMilliseconds(500));
            counts.Add(StartedBy(host, ids, host.Clock.GetUtcNow()));
        }

        // Never more than 4 in any window of 1 s (two adjacent half-second segments), and the backlog drains.
        for (var i = 2; i < counts.Count; i++)
        {
            Assert.True(counts[i] - counts[i - 2] <= 4, $"window ending at step {i}: {string.Join(",", counts)}");
        }

        Assert.Equal(4, counts[0]);
        Assert.Equal(10, counts[^1]);
    }

    [Fact]
    public void RateLimit_InvalidOptions_FailAtRegistrationWithTheLimitersMessage()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentOutOfRangeException>(() => services.AddInProc().AddJob<KeyedJob, Keyed>(j => j.RateLimit(m => m.Key, perSecond: 0)));
        Assert.ThrowsAny<ArgumentException>(() => services.AddInProc().AddJob<KeyedJob, Keyed>(j => j.RateLimit(null, new TokenBucketRateLimiterOptions { TokenLimit = 0, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(1) })));
    }
}
