using InProc.Tests.Support;

namespace InProc.Tests.Faults;

/// <summary>Issue 8: a <c>DoNotRetry</c> predicate that throws counts as "do not retry"; its exception never escapes.</summary>
public sealed class RetryPredicateFaultTests
{
    [Fact]
    public async Task Failure_DoNotRetryPredicateThrows_JobGoesToDeadLettersAndWorkerRunsOn()
    {
        var predicateCalls = 0;
        var policy = RetryPolicy.Fixed(3, TimeSpan.FromSeconds(1)).DoNotRetry(_ =>
        {
            Interlocked.Increment(ref predicateCalls);
            throw new InvalidOperationException("predicate");
        });
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("default", q => q.Workers = 1),
            b => b.AddJob<FlakyJob>(j => j.Retry = policy).AddJob<PingJob>());

        var id = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 0));

        var failed = await host.WaitForStateAsync(id, JobState.Failed);
        Assert.Equal(1, failed.Attempt);
        Assert.True(Volatile.Read(ref predicateCalls) >= 1);
        var letter = Assert.Single(host.Monitor.GetDeadLetters());
        Assert.Equal(id, letter.Id);
        Assert.Equal(1, letter.Attempts);
        Assert.Equal(typeof(IOException).FullName, letter.ExceptionType); // the job's failure, not the predicate's
        await FaultChecks.AssertQueueRunsOnAndStopCompletesAsync(host);
        Assert.Single(host.Probe.Runs, r => r.Message is Flaky);
    }
}
