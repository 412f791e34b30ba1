using InProc.Tests.Support;

namespace InProc.Tests.Faults;

/// <summary>Issue 8: a status page must not show an error on a success; the error shows only while it matters.</summary>
public sealed class JobSnapshotErrorTests
{
    [Fact]
    public async Task GetJob_FailedOnceThenSucceeded_ShowsNoError()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.Fixed(3, TimeSpan.FromSeconds(1))));
        var id = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 2));

        var retrying = await host.WaitForStateAsync(id, JobState.Retrying, 2);
        Assert.Equal(typeof(IOException).FullName, retrying.ErrorType); // while it waits for the retry, the error matters
        Assert.NotNull(retrying.Error);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        var done = await host.WaitForStateAsync(id, JobState.Succeeded);

        Assert.Equal(2, done.Attempt);
        Assert.Null(done.ErrorType);
        Assert.Null(done.Error);
    }
}
