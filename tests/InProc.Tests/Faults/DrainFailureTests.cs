using System.Collections.Concurrent;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InProc.Tests.Faults;

/// <summary>
/// Issue 8: an attempt that fails while the host stops, with retries left, cannot be retried in this process;
/// the failure must still be visible (OnJobFailed, a warning with the exception) and the job reported once.
/// </summary>
public sealed class DrainFailureTests
{
    [Fact]
    public async Task StopAsync_RunningJobFailsDuringDrainWithRetriesLeft_ReportsFailureAndAbandonsOnce()
    {
        var failures = new ConcurrentQueue<JobFailedArguments>();
        var abandoned = new ConcurrentQueue<JobAbandonedArguments>();
        var logs = new CapturingLoggerProvider("InProc");
        await using var host = await TestHost.StartAsync(
            o =>
            {
                o.AddQueue("default", q => q.Workers = 1);
                o.ShutdownTimeout = TimeSpan.FromSeconds(10);
                o.OnJobFailed = failures.Enqueue;
                o.OnAbandoned = abandoned.Enqueue;
            },
            b => b.AddJob<FailAfterGateJob>(j => j.Retry = RetryPolicy.Fixed(3, TimeSpan.FromMinutes(1))),
            s => s.AddLogging(l => l.AddProvider(logs)));
        var id = await host.Jobs.EnqueueAsync(new FailAfterGate(0));
        await host.Gates.WaitEnteredAsync(0);

        var stopping = host.StopAsync();
        await logs.WaitForAsync(e => e.EventId.Id == 2); // "Stopping": the drain has begun, the job still runs
        host.Gates.Open(0); // now it fails, with two attempts left
        await stopping.WaitAsync(TestHost.Patience);

        var failure = Assert.Single(failures);
        Assert.Equal(id, failure.Id);
        Assert.Equal(1, failure.Attempt);
        Assert.IsType<BoomException>(failure.Exception);
        Assert.Equal("failed while stopping", failure.Exception.Message);

        var report = Assert.Single(abandoned);
        Assert.Equal(id, report.Id);
        Assert.Equal(AbandonReason.Shutdown, report.Reason);
        Assert.Equal(JobState.Abandoned, host.Monitor.GetJob(id)!.State);

        Assert.Contains(logs.Entries, e => e.Level >= LogLevel.Warning && e.Exception is BoomException { Message: "failed while stopping" });
    }

    internal sealed record FailAfterGate(int Number);

    /// <summary>Signals <see cref="Gates.Entered"/>, waits for its gate ignoring cancellation, then throws.</summary>
    internal sealed class FailAfterGateJob(Gates gates) : IJob<FailAfterGate>
    {
        public async Task RunAsync(FailAfterGate message, JobContext context)
        {
            gates.Entered(message.Number).TrySetResult();
            await gates.Gate(message.Number).Task;
            throw new BoomException("failed while stopping");
        }
    }
}
