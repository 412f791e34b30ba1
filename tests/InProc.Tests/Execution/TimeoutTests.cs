using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace InProc.Tests.Execution;

public sealed class TimeoutTests
{
    [Fact]
    public async Task Timeout_AttemptRunsPastIt_TokenIsCancelledAndAttemptIsRetried()
    {
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<BlockingJob>(j =>
            {
                j.Timeout = TimeSpan.FromSeconds(30);
                j.Retry = RetryPolicy.Fixed(2, TimeSpan.FromSeconds(1));
            }));
        var timers = host.Clock.ActiveTimerCount;
        var id = await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);
        await host.Clock.WaitForActiveTimersAsync(timers + 1).WaitAsync(TestHost.Patience); // the attempt's timeout

        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.Equal(JobState.Running, host.Monitor.GetJob(id)!.State);
        host.Clock.AdvanceStepwise(TimeSpan.FromTicks(1));

        var retrying = await host.WaitForStateAsync(id, JobState.Retrying, 2);
        Assert.Equal(typeof(TimeoutException).FullName, retrying.ErrorType);
        Assert.Contains("timeout of 00:00:30", retrying.Error, StringComparison.Ordinal);
        Assert.True(host.Probe.Runs.Single().Context.CancellationToken.IsCancellationRequested);

        host.Gates.Open(0); // the second attempt finds the gate open
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        var done = await host.WaitForStateAsync(id, JobState.Succeeded);
        Assert.Equal(2, done.Attempt);
        Assert.False(host.Probe.Runs.Last().Context.CancellationToken.IsCancellationRequested);
    }

    [Fact]
    public async Task Timeout_GlobalDefault_AppliesToJobsWithoutTheirOwn()
    {
        await using var host = await TestHost.StartAsync(
            o =>
            {
                o.DefaultTimeout = TimeSpan.FromSeconds(5);
                o.DefaultRetry = RetryPolicy.None;
            },
            b => b.AddJob<BlockingJob>());
        var timers = host.Clock.ActiveTimerCount;
        var id = await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);
        await host.Clock.WaitForActiveTimersAsync(timers + 1).WaitAsync(TestHost.Patience);

        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(5));

        var failed = await host.WaitForStateAsync(id, JobState.Failed);
        Assert.Equal(typeof(TimeoutException).FullName, failed.ErrorType);
        Assert.IsType<OperationCanceledException>(Assert.Single(host.Monitor.GetDeadLetters()).Exception.InnerException, exactMatch: false);
    }

    [Fact]
    public async Task Timeout_NotSet_TokenIsNotCancelledByTime()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<BlockingJob>());
        var id = await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);

        host.Clock.AdvanceStepwise(TimeSpan.FromDays(1));

        Assert.Equal(JobState.Running, host.Monitor.GetJob(id)!.State);
        Assert.False(host.Probe.Runs.Single().Context.CancellationToken.IsCancellationRequested);
        host.Gates.Open(0);
        await host.WaitForStateAsync(id, JobState.Succeeded);
    }

    [Fact]
    public async Task Timeout_SynchronousModeJobAwaitsPastIt_EnqueueAsyncThrowsTimeoutException()
    {
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<BlockingJob>(j => j.Timeout = TimeSpan.FromSeconds(30)).UseSynchronousMode());

        var run = host.Jobs.EnqueueAsync(new Blocking(0)); // the job runs here and awaits its gate
        await host.Gates.WaitEnteredAsync(0);
        await host.Clock.WaitForActiveTimersAsync(1).WaitAsync(TestHost.Patience); // the attempt's timeout
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.False(run.IsCompleted);
        host.Clock.AdvanceStepwise(TimeSpan.FromTicks(1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => run.AsTask().WaitAsync(TestHost.Patience));
        Assert.Contains("timeout of 00:00:30", error.Message, StringComparison.Ordinal);
        var failed = Assert.Single(host.Monitor.GetDeadLetters());
        Assert.Equal(new Blocking(0), failed.Message);
    }

    [Fact]
    public async Task Timeout_SynchronousModeJobDelaysOnTheFakeClock_EnqueueAsyncThrowsTimeoutException()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection().AddSingleton<TimeProvider>(clock);
        services.AddInProc().AddJob<SlowJob>(j => j.Timeout = TimeSpan.FromSeconds(30)).UseSynchronousMode();
        await using var provider = services.BuildServiceProvider();

        var run = provider.GetRequiredService<IJobQueue>().EnqueueAsync(new Slow()); // awaits a one-minute delay
        clock.Advance(TimeSpan.FromMinutes(2)); // past the timeout and the delay: the timeout is due first

        await Assert.ThrowsAsync<TimeoutException>(() => run.AsTask().WaitAsync(TestHost.Patience));
    }

    private sealed record Slow;

    private sealed class SlowJob(TimeProvider time) : IJob<Slow>
    {
        public Task RunAsync(Slow message, JobContext context) =>
            Task.Delay(TimeSpan.FromMinutes(1), time, context.CancellationToken);
    }
}
