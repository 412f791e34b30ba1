using InProc.Tests.Support;

namespace InProc.Tests.Monitoring;

public sealed class DeadLetterTests
{
    [Fact]
    public async Task DeadLetter_OutOfAttempts_KeepsMessageErrorAttemptsAndTimes()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.Fixed(2, TimeSpan.FromSeconds(1))));
        var enqueuedAt = host.Clock.GetUtcNow();
        var id = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 0));
        await host.WaitForStateAsync(id, JobState.Retrying, 2);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        await host.WaitForStateAsync(id, JobState.Failed);

        var letter = Assert.Single(host.Monitor.GetDeadLetters());

        Assert.Equal(id, letter.Id);
        Assert.Equal(new Flaky(0), letter.Message);
        Assert.Equal("default", letter.Queue);
        Assert.Equal(2, letter.Attempts);
        Assert.Equal(typeof(IOException).FullName, letter.ExceptionType);
        Assert.Equal("transient failure on attempt 2", letter.ExceptionMessage);
        Assert.Contains(nameof(FlakyJob), letter.StackTrace, StringComparison.Ordinal);
        Assert.Equal(enqueuedAt, letter.EnqueuedAt);
        Assert.Equal(enqueuedAt.AddSeconds(1), letter.FailedAt);
    }

    [Fact]
    public async Task RequeueDeadLetter_AfterExhaustion_RunsAgainWithFreshAttemptsAndSucceeds()
    {
        var fixedUpstream = new Flag();
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<UpstreamJob>(j => j.Retry = RetryPolicy.Fixed(2, TimeSpan.FromSeconds(1))),
            s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(s, fixedUpstream));
        var id = await host.Jobs.EnqueueAsync(new CallUpstream());
        await host.WaitForStateAsync(id, JobState.Retrying, 2);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        await host.WaitForStateAsync(id, JobState.Failed);

        fixedUpstream.Value = true;
        Assert.True(host.Monitor.RequeueDeadLetter(id));

        var done = await host.WaitForStateAsync(id, JobState.Succeeded);
        Assert.Equal(1, done.Attempt);
        Assert.Empty(host.Monitor.GetDeadLetters());
        Assert.False(host.Monitor.RequeueDeadLetter(id)); // no longer a dead letter
    }

    [Fact]
    public async Task DeadLetters_OverCapacity_KeepTheNewest()
    {
        await using var host = await TestHost.StartAsync(o => o.DeadLetterCapacity = 3, b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.None));
        var ids = new List<JobId>();
        for (var i = 0; i < 5; i++)
        {
            var id = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 0, ExceptionKind: "io" + i));
            await host.WaitForStateAsync(id, JobState.Failed);
            ids.Add(id);
        }

        Assert.Equal(ids.Skip(2), host.Monitor.GetDeadLetters().Select(d => d.Id));
    }

    [Fact]
    public async Task PurgeDeadLetters_RemovesAllAndSaysHowMany()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.None));
        for (var i = 0; i < 2; i++)
        {
            await host.WaitForStateAsync(await host.Jobs.EnqueueAsync(new Flaky(0, "io" + i)), JobState.Failed);
        }

        Assert.Equal(2, host.Monitor.PurgeDeadLetters());
        Assert.Empty(host.Monitor.GetDeadLetters());
        Assert.Equal(0, host.Monitor.PurgeDeadLetters());
    }

    internal sealed record CallUpstream;

    internal sealed class Flag
    {
        public volatile bool Value;
    }

    internal sealed class UpstreamJob(Flag upstreamFixed) : IJob<CallUpstream>
    {
        public Task RunAsync(CallUpstream message, JobContext context) =>
            upstreamFixed.Value ? Task.CompletedTask : Task.FromException(new HttpRequestException("503 from upstream"));
    }
}
