using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InProc.Tests.Faults;

/// <summary>Issue 8: a logging provider that throws cannot stop InProc: jobs end, workers run on, stop completes.</summary>
public sealed class LoggerFaultTests
{
    [Fact]
    public async Task Logger_ProviderThrowsFromLog_SucceedingAndFailingJobsEndAndStopCompletes()
    {
        var broken = new ThrowingLoggerProvider();
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("default", q => q.Workers = 1),
            b => b.AddJob<PingJob>().AddJob<FlakyJob>(j => j.Retry = RetryPolicy.None),
            s => s.AddLogging(l => l.AddProvider(broken)));

        var ok = await host.Jobs.EnqueueAsync(new Ping(1));
        var failing = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 0));

        Assert.Equal(1, (await host.WaitForStateAsync(ok, JobState.Succeeded)).Attempt);
        Assert.Equal(1, (await host.WaitForStateAsync(failing, JobState.Failed)).Attempt);
        var letter = Assert.Single(host.Monitor.GetDeadLetters());
        Assert.Equal(failing, letter.Id);
        Assert.Equal(typeof(IOException).FullName, letter.ExceptionType);
        await FaultChecks.AssertQueueRunsOnAndStopCompletesAsync(host);
        Assert.True(broken.Throws > 0, "the broken provider was never called: the test proves nothing");
    }
}
