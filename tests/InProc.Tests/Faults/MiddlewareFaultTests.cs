using InProc.Tests.Support;

namespace InProc.Tests.Faults;

/// <summary>Issue 8: a middleware that throws before returning a Task fails the attempt with that exception; the worker runs on.</summary>
public sealed class MiddlewareFaultTests
{
    [Fact]
    public async Task InvokeAsync_MiddlewareThrowsSynchronously_AttemptFailsWithThatExceptionAndWorkerRunsOn()
    {
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("default", q => q.Workers = 1),
            b => b.AddJob<PingJob>().AddJob<FlakyJob>(j => j.Retry = RetryPolicy.None).UseMiddleware<SynchronousThrowMiddleware>());

        var id = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 1));

        var failed = await host.WaitForStateAsync(id, JobState.Failed);
        Assert.Equal(1, failed.Attempt);
        var letter = Assert.Single(host.Monitor.GetDeadLetters());
        var error = Assert.IsType<BoomException>(letter.Exception);
        Assert.Equal("middleware", error.Message);
        Assert.DoesNotContain(host.Probe.Runs, r => r.Message is Flaky); // the job never ran
        await FaultChecks.AssertQueueRunsOnAndStopCompletesAsync(host); // the middleware passes Ping through
    }

    /// <summary>Throws before it returns any Task for <see cref="Flaky"/> messages; passes every other message on.</summary>
    internal sealed class SynchronousThrowMiddleware : IJobMiddleware
    {
        public Task InvokeAsync(object message, JobContext context, JobDelegate next) =>
            message is Flaky ? throw new BoomException("middleware") : next();
    }
}
