using InProc.Tests.Support;

namespace InProc.Tests.Faults;

/// <summary>Issue 8: a null <see cref="Task"/> from user code is a failed attempt whose error names the class, not a bare NullReferenceException.</summary>
public sealed class NullTaskTests
{
    [Fact]
    public async Task RunAsync_JobReturnsNullTask_FailsNamingTheJobAndWorkerRunsOn()
    {
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("default", q => q.Workers = 1),
            b => b.AddJob<NullTaskJob>(j => j.Retry = RetryPolicy.None).AddJob<PingJob>());

        var id = await host.Jobs.EnqueueAsync(new NullTask(1));

        var failed = await host.WaitForStateAsync(id, JobState.Failed);
        Assert.Equal(1, failed.Attempt);
        var letter = Assert.Single(host.Monitor.GetDeadLetters());
        Assert.Equal(id, letter.Id);
        Assert.IsType<InvalidOperationException>(letter.Exception);
        Assert.Contains(nameof(NullTaskJob), letter.ExceptionMessage, StringComparison.Ordinal);
        Assert.Contains("RunAsync returned null", letter.ExceptionMessage, StringComparison.Ordinal);
        await FaultChecks.AssertQueueRunsOnAndStopCompletesAsync(host);
    }

    [Fact]
    public async Task InvokeAsync_MiddlewareReturnsNullTask_FailsNamingTheMiddlewareAndWorkerRunsOn()
    {
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("default", q => q.Workers = 1),
            b => b.AddJob<NullTaskJob>(j => j.Retry = RetryPolicy.None).AddJob<PingJob>().UseMiddleware<NullTaskMiddleware>());

        var id = await host.Jobs.EnqueueAsync(new NullTask(2));

        var failed = await host.WaitForStateAsync(id, JobState.Failed);
        Assert.Equal(1, failed.Attempt);
        var letter = Assert.Single(host.Monitor.GetDeadLetters());
        Assert.IsType<InvalidOperationException>(letter.Exception);
        Assert.Contains(nameof(NullTaskMiddleware), letter.ExceptionMessage, StringComparison.Ordinal);
        Assert.Contains("InvokeAsync returned null", letter.ExceptionMessage, StringComparison.Ordinal);
        await FaultChecks.AssertQueueRunsOnAndStopCompletesAsync(host); // the middleware passes Ping through
    }

    internal sealed record NullTask(int Number);

    internal sealed class NullTaskJob : IJob<NullTask>
    {
        public Task RunAsync(NullTask message, JobContext context) => null!;
    }

    /// <summary>Returns a null Task for <see cref="NullTask"/> messages (before calling the job), passes every other message on.</summary>
    internal sealed class NullTaskMiddleware : IJobMiddleware
    {
        public Task InvokeAsync(object message, JobContext context, JobDelegate next) => message is NullTask ? null! : next();
    }
}
