using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Execution;

/// <summary>
/// The executor runs a job that completes synchronously without a state machine, and one that awaits through the full
/// path: each outcome must be the same on both. Every case runs twice, the job completing at once (Yield = false) and
/// after an await (Yield = true).
/// </summary>
public sealed class ExecutorPathTests
{
    public static TheoryData<bool> BothPaths => new() { false, true };

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task A_job_that_throws_before_returning_a_task_fails_with_its_exception(bool yield)
    {
        var failed = await RunToEndAsync(new Act(Outcome.ThrowBeforeTask, yield));

        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal(typeof(FormatException).FullName, failed.ErrorType);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task A_job_whose_task_faults_fails_with_the_task_exception(bool yield)
    {
        var failed = await RunToEndAsync(new Act(Outcome.FaultedTask, yield));

        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal(typeof(InvalidDataException).FullName, failed.ErrorType);
        Assert.Equal("faulted", failed.Error);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task A_job_whose_task_is_cancelled_outside_a_shutdown_fails(bool yield)
    {
        var failed = await RunToEndAsync(new Act(Outcome.CancelledTask, yield));

        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal(typeof(TaskCanceledException).FullName, failed.ErrorType);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task A_scoped_service_that_throws_on_dispose_fails_an_attempt_that_succeeded(bool yield)
    {
        var failed = await RunToEndAsync(new Act(Outcome.Succeed, yield, UseBrokenDisposal: true));

        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal(typeof(ObjectDisposedException).FullName, failed.ErrorType);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task A_scoped_service_whose_async_dispose_fails_later_fails_the_attempt(bool yield)
    {
        var failed = await RunToEndAsync(new Act(Outcome.Succeed, yield, UseSlowBrokenDisposal: true));

        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal(typeof(IOException).FullName, failed.ErrorType);
    }

    [Theory]
    [MemberData(nameof(BothPaths))]
    public async Task A_disposable_job_is_disposed_after_each_attempt_and_a_success_shows_no_error(bool yield)
    {
        var (done, jobsDisposed) = await RunAsync(new Act(Outcome.Succeed, yield), JobState.Succeeded);

        Assert.Null(done.Error);
        Assert.Equal(1, jobsDisposed);
    }

    private static async Task<JobSnapshot> RunToEndAsync(Act act) => (await RunAsync(act, JobState.Failed)).Job;

    private static async Task<(JobSnapshot Job, int JobsDisposed)> RunAsync(Act act, JobState expect)
    {
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("default", q => q.Workers = 1),
            b => b.AddJob<ActJob>(j => j.Retry = RetryPolicy.None),
            s => s.AddSingleton<DisposalLog>().AddScoped<BrokenDisposal>().AddScoped<SlowBrokenDisposal>());
        var id = await host.Jobs.EnqueueAsync(act);
        var job = await host.WaitForStateAsync(id, expect);
        return (job, host.Services.GetRequiredService<DisposalLog>().JobsDisposed);
    }

    internal enum Outcome
    {
        Succeed,
        ThrowBeforeTask,
        FaultedTask,
        CancelledTask,
    }

    internal sealed record Act(Outcome Outcome, bool Yield, bool UseBrokenDisposal = false, bool UseSlowBrokenDisposal = false);

    internal sealed class DisposalLog
    {
        private int _jobsDisposed;

        public int JobsDisposed => Volatile.Read(ref _jobsDisposed);

        public void JobDisposed() => Interlocked.Increment(ref _jobsDisposed);
    }

    internal sealed class BrokenDisposal : IDisposable
    {
        public void Dispose() => throw new ObjectDisposedException("broken");
    }

    internal sealed class SlowBrokenDisposal : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Task.Yield();
            throw new IOException("disposal failed after an await");
        }
    }

    internal sealed class ActJob(IServiceProvider services, DisposalLog log) : IJob<Act>, IDisposable
    {
        public Task RunAsync(Act message, JobContext context)
        {
            if (message.UseBrokenDisposal)
            {
                services.GetRequiredService<BrokenDisposal>();
            }

            if (message.UseSlowBrokenDisposal)
            {
                services.GetRequiredService<SlowBrokenDisposal>();
            }

            if (message.Outcome == Outcome.ThrowBeforeTask)
            {
                throw new FormatException("thrown before a task existed");
            }

            return message.Yield ? AfterYieldAsync(message.Outcome) : Finish(message.Outcome);
        }

        public void Dispose() => log.JobDisposed();

        private static async Task AfterYieldAsync(Outcome outcome)
        {
            await Task.Yield();
            await Finish(outcome);
        }

        private static Task Finish(Outcome outcome) => outcome switch
        {
            Outcome.FaultedTask => Task.FromException(new InvalidDataException("faulted")),
            Outcome.CancelledTask => Task.FromCanceled(new CancellationToken(canceled: true)),
            _ => Task.CompletedTask,
        };
    }
}
