using InProc.Tests.Support;

namespace InProc.Tests.Faults;

/// <summary>Issue 8: a job whose constructor throws fails its attempt with that exception, is retried, then dead-lettered.</summary>
public sealed class ActivationFaultTests
{
    [Fact]
    public async Task RunAsync_JobConstructorThrows_AttemptFailsWithThatExceptionAndIsRetriedThenDeadLettered()
    {
        var failures = new System.Collections.Concurrent.ConcurrentQueue<JobFailedArguments>();
        await using var host = await TestHost.StartAsync(
            o =>
            {
                o.AddQueue("default", q => q.Workers = 1);
                o.OnJobFailed = failures.Enqueue;
            },
            b => b.AddJob<ThrowingConstructorJob>(j => j.Retry = RetryPolicy.Fixed(2, TimeSpan.FromSeconds(1))).AddJob<PingJob>());

        var id = await host.Jobs.EnqueueAsync(new Unbuildable(1));

        await host.WaitForStateAsync(id, JobState.Retrying, 2);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        var failed = await host.WaitForStateAsync(id, JobState.Failed);
        Assert.Equal(2, failed.Attempt);
        var letter = Assert.Single(host.Monitor.GetDeadLetters());
        Assert.Equal(2, letter.Attempts);
        var error = Assert.IsType<BoomException>(letter.Exception); // unwrapped: not a TargetInvocationException
        Assert.Equal("constructor", error.Message);
        Assert.Equal([1, 2], failures.Where(f => f.Id == id).Select(f => f.Attempt));
        Assert.All(failures, f => Assert.IsType<BoomException>(f.Exception));
        await FaultChecks.AssertQueueRunsOnAndStopCompletesAsync(host);
    }

    internal sealed record Unbuildable(int Number);

    internal sealed class ThrowingConstructorJob : IJob<Unbuildable>
    {
        public ThrowingConstructorJob() => throw new BoomException("constructor");

        public Task RunAsync(Unbuildable message, JobContext context) => Task.CompletedTask;
    }
}
