using System.Collections.Concurrent;
using InProc.Tests.Support;
using InProc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Hosting;

public sealed class SynchronousModeTests
{
    [Fact]
    public async Task EnqueueAsync_PlainServiceProviderWithoutHost_RunsTheJobBeforeReturning()
    {
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)))
            .AddSingleton<Probe>();
        services.AddInProc().AddJob<PingJob>().UseSynchronousMode();
        await using var provider = services.BuildServiceProvider();
        var jobs = provider.GetRequiredService<IJobQueue>();

        var id = await jobs.EnqueueAsync(new Ping(1));

        var (message, context) = Assert.Single(provider.GetRequiredService<Probe>().Runs);
        Assert.Equal(new Ping(1), message);
        Assert.Equal(id, context.Id);
        Assert.Equal(JobState.Succeeded, provider.GetRequiredService<IJobMonitor>().GetJob(id)!.State);
    }

    [Fact]
    public async Task EnqueueAsync_UnderStartedHost_RunsTheJobBeforeReturning()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>().UseSynchronousMode());

        var id = await host.Jobs.EnqueueAsync(new Ping(1));

        Assert.Equal(new Ping(1), Assert.Single(host.Probe.Runs).Message);
        Assert.Equal(JobState.Succeeded, host.Monitor.GetJob(id)!.State);
    }

    [Fact]
    public async Task EnqueueAsync_SynchronousMode_RunsOnTheCallersThreadWithNoQueuesOrTimers()
    {
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("mail", q => q.Workers = 8),
            b => b.AddJob<ChildJob>(j => j.Queue = "mail").UseSynchronousMode(),
            s => s.AddSingleton<Journal>());
        var journal = host.Services.GetRequiredService<Journal>();
        var caller = Environment.CurrentManagedThreadId;

        await host.Jobs.EnqueueAsync(new Child(1));
        Assert.True(host.Jobs.TryEnqueue(new Child(2), out _));

        Assert.Equal(["child 1", "child 2"], journal.Entries);
        Assert.All(journal.Threads, thread => Assert.Equal(caller, thread));
        Assert.Empty(host.Monitor.GetQueues()); // no channel, no worker task
        Assert.Equal(0, host.Clock.ActiveTimerCount); // and no armed timer
    }

    [Fact]
    public async Task EnqueueAsync_JobThrows_ThrowsTheJobsExceptionWithItsStackTrace()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<BoomJob>().UseSynchronousMode(), s => s.AddSingleton<Journal>());

        var error = await Assert.ThrowsAsync<BoomException>(async () => await host.Jobs.EnqueueAsync(new Boom("x")));

        Assert.Equal("boom: x", error.Message);
        Assert.Contains($"{nameof(BoomJob)}.Explode", error.StackTrace, StringComparison.Ordinal);
        Assert.Contains($"{nameof(BoomJob)}.{nameof(BoomJob.RunAsync)}", error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnqueueAsync_JobThrows_IsDeadLetteredOnceAndNotRetried()
    {
        var failures = new ConcurrentQueue<JobFailedArguments>();
        await using var host = await TestHost.StartAsync(
            o => o.OnJobFailed = failures.Enqueue,
            b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.Fixed(5, TimeSpan.FromSeconds(1))).UseSynchronousMode());

        var error = await Assert.ThrowsAsync<IOException>(async () => await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 2)));

        Assert.Single(host.Probe.Runs);
        var letter = Assert.Single(host.Monitor.GetDeadLetters());
        Assert.Same(error, letter.Exception);
        Assert.False(Assert.Single(failures).WillRetry);
        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(1));
        Assert.Single(host.Probe.Runs); // nothing was left on the clock
    }

    [Fact]
    public async Task TryEnqueue_JobThrows_ThrowsTheJobsException()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<BoomJob>().UseSynchronousMode(), s => s.AddSingleton<Journal>());

        var error = Assert.Throws<BoomException>(() => host.Jobs.TryEnqueue(new Boom("y"), out _));

        Assert.Contains($"{nameof(BoomJob)}.Explode", error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnqueueAsync_RetriesEnabled_ReturnsAndRetriesWhenTheClockPassesTheBackoff()
    {
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.Fixed(3, TimeSpan.FromSeconds(10)))
                .UseSynchronousMode(o => o.EnableRetries = true));

        var id = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 3));

        Assert.Equal(JobState.Retrying, host.Monitor.GetJob(id)!.State);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.Single(host.Probe.Runs);
        host.Clock.AdvanceStepwise(TimeSpan.FromTicks(1));
        Assert.Equal(2, host.Probe.Runs.Count); // ran inside Advance
        Assert.Equal(JobState.Retrying, host.Monitor.GetJob(id)!.State);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(10));
        Assert.Equal([1, 2, 3], host.Probe.Runs.Select(r => r.Context.Attempt));
        Assert.Equal(JobState.Succeeded, host.Monitor.GetJob(id)!.State);
    }

    [Fact]
    public async Task Advance_RetriesEnabledAndAttemptsRunOut_DeadLettersWithoutThrowing()
    {
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.Fixed(2, TimeSpan.FromSeconds(10)))
                .UseSynchronousMode(o => o.EnableRetries = true));

        var id = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 0));
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(10));

        Assert.Equal(2, host.Probe.Runs.Count);
        Assert.Equal(JobState.Failed, host.Monitor.GetJob(id)!.State);
        Assert.Equal(2, Assert.Single(host.Monitor.GetDeadLetters()).Attempts);
    }

    [Fact]
    public async Task EnqueueAsync_RetriesEnabledAndExceptionNotRetried_Throws()
    {
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.Fixed(3, TimeSpan.FromSeconds(10)).DoNotRetry<ArgumentException>())
                .UseSynchronousMode(o => o.EnableRetries = true));

        await Assert.ThrowsAsync<ArgumentException>(async () => await host.Jobs.EnqueueAsync(new Flaky(0, "argument")));

        Assert.Single(host.Probe.Runs);
    }

    [Fact]
    public async Task ScheduleAsync_Delay_RunsOnlyWhenTheClockPassesItsTimeOnTheAdvancingThread()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<ChildJob>().UseSynchronousMode(), s => s.AddSingleton<Journal>());
        var journal = host.Services.GetRequiredService<Journal>();
        var dueAt = host.Clock.GetUtcNow().AddMinutes(10);

        var id = await host.Jobs.ScheduleAsync(new Child(1), TimeSpan.FromMinutes(10));

        Assert.Empty(journal.Entries);
        Assert.Equal(JobState.Scheduled, host.Monitor.GetJob(id)!.State);
        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.Empty(journal.Entries);
        host.Clock.AdvanceStepwise(TimeSpan.FromTicks(1));
        Assert.Equal(["child 1"], journal.Entries); // before Advance returned, with nothing awaited
        Assert.Equal(Environment.CurrentManagedThreadId, Assert.Single(journal.Threads));
        var done = host.Monitor.GetJob(id)!;
        Assert.Equal(JobState.Succeeded, done.State);
        Assert.Equal(dueAt, done.StartedAt);
    }

    [Fact]
    public async Task Advance_SeveralJobsComeDue_RunsThemInDueOrderThenSchedulingOrder()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<ChildJob>().UseSynchronousMode(), s => s.AddSingleton<Journal>());
        var now = host.Clock.GetUtcNow();

        await host.Jobs.ScheduleAsync(new Child(3), runAt: now.AddMinutes(3));
        await host.Jobs.ScheduleAsync(new Child(1), runAt: now.AddMinutes(1));
        await host.Jobs.ScheduleAsync(new Child(21), runAt: now.AddMinutes(2));
        await host.Jobs.ScheduleAsync(new Child(22), runAt: now.AddMinutes(2));
        await host.Jobs.ScheduleAsync(new Child(9), runAt: now.AddMinutes(9));
        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(5));

        Assert.Equal(["child 1", "child 21", "child 22", "child 3"], host.Services.GetRequiredService<Journal>().Entries);
    }

    [Fact]
    public async Task Advance_ScheduledJobThrows_RecordsTheFailureAndRunsTheOthers()
    {
        var failures = new ConcurrentQueue<JobFailedArguments>();
        await using var host = await TestHost.StartAsync(
            o => o.OnJobFailed = failures.Enqueue,
            b => b.AddJob<BoomJob>().AddJob<ChildJob>().UseSynchronousMode(),
            s => s.AddSingleton<Journal>());

        var failing = await host.Jobs.ScheduleAsync(new Boom("late"), TimeSpan.FromMinutes(1));
        await host.Jobs.ScheduleAsync(new Child(2), TimeSpan.FromMinutes(2));
        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(5)); // does not throw

        Assert.Equal(["boom late", "child 2"], host.Services.GetRequiredService<Journal>().Entries);
        Assert.Equal(JobState.Failed, host.Monitor.GetJob(failing)!.State);
        var letter = Assert.Single(host.Monitor.GetDeadLetters());
        Assert.IsType<BoomException>(letter.Exception);
        Assert.Equal(failing, Assert.Single(failures).Id);
    }

    [Fact]
    public async Task EnqueueAsync_JobEnqueuesOthers_RunsEachChildInlineBeforeTheParentGoesOn()
    {
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<ParentJob>().AddJob<ChildJob>().UseSynchronousMode(),
            s => s.AddSingleton<Journal>());

        await host.Jobs.EnqueueAsync(new Parent(1, Children: 2)).AsTask().WaitAsync(TestHost.Patience);

        Assert.Equal(["parent 1 start", "child 1", "child 2", "parent 1 end"], host.Services.GetRequiredService<Journal>().Entries);
    }

    [Fact]
    public async Task EnqueueAsync_JobEnqueuesItselfForever_ThrowsSayingWhyInsteadOfOverflowingTheStack()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<SelfEnqueueingJob>().UseSynchronousMode());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Jobs.EnqueueAsync(new Again(0)).AsTask());

        Assert.Contains("enqueues itself", error.Message, StringComparison.Ordinal);
        Assert.Equal(100, host.Probe.Runs.Count); // 100 levels ran; the 101st was refused
    }

    [Fact]
    public async Task EnqueueAsync_AfterADeepChainFailed_NextChainStartsAtDepthZero()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<SelfEnqueueingJob>().UseSynchronousMode());
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Jobs.EnqueueAsync(new Again(0)).AsTask());

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Jobs.EnqueueAsync(new Again(0)).AsTask());

        Assert.Equal(200, host.Probe.Runs.Count); // the depth was restored after the first chain
    }

    [Fact]
    public async Task Advance_DueJobEnqueuesAndSchedulesOthers_RunsThemInTheSameAdvance()
    {
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<ParentJob>().AddJob<ChildJob>().UseSynchronousMode(),
            s => s.AddSingleton<Journal>());

        await host.Jobs.ScheduleAsync(new Parent(1, Children: 1, ScheduleChildAfter: TimeSpan.FromMinutes(1)), TimeSpan.FromMinutes(1));
        await Task.Run(() => host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(2))).WaitAsync(TestHost.Patience);

        Assert.Equal(["parent 1 start", "child 1", "parent 1 end", "child 100"], host.Services.GetRequiredService<Journal>().Entries);
    }

    [Fact]
    public async Task EnqueueAsync_MiddlewareAndScopedService_RunAsInProduction()
    {
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<ScopedChildJob>().UseMiddleware<JournalMiddleware>().UseSynchronousMode(),
            s => s.AddSingleton<Journal>().AddScoped<ScopedThing>());

        await host.Jobs.EnqueueAsync(new Child(1));
        await host.Jobs.EnqueueAsync(new Child(2));

        var journal = host.Services.GetRequiredService<Journal>().Entries;
        Assert.Equal(8, journal.Length);
        Assert.Equal(["middleware before Child { Number = 1 }", "middleware after"], [journal[0], journal[2]]);
        Assert.Equal($"disposed {journal[1]}", journal[3]); // the execution's scope, disposed when it ended
        Assert.Equal(["middleware before Child { Number = 2 }", "middleware after"], [journal[4], journal[6]]);
        Assert.NotEqual(journal[1], journal[5]); // a scope per execution: another instance
    }

    [Fact]
    public async Task EnqueueAsync_JobRunsPastItsTimeout_ThrowsTimeoutExceptionWhenTheClockPassesIt()
    {
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<SlowJob>(j => j.Timeout = TimeSpan.FromMinutes(1)).UseSynchronousMode());

        var running = host.Jobs.EnqueueAsync(new Slow()).AsTask();

        Assert.False(running.IsCompleted); // waiting on the clock
        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(1));
        var error = await Assert.ThrowsAsync<TimeoutException>(() => running.WaitAsync(TestHost.Patience));
        Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException);
    }

    [Fact]
    public async Task TryEnqueue_JobAwaitsUnderASingleThreadedContext_DoesNotDeadlock()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<YieldingJob>().UseSynchronousMode(), s => s.AddSingleton<Journal>());
        var context = new StuckContext();

        // A context whose posts never run stands for a busy single-threaded one (a UI thread, xunit's with every thread taken).
        var enqueued = await Task.Run(() =>
        {
            SynchronizationContext.SetSynchronizationContext(context);
            try
            {
                return host.Jobs.TryEnqueue(new Yielding(1), out _);
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(null);
            }
        }).WaitAsync(TestHost.Patience);

        Assert.True(enqueued);
        Assert.Equal(["yielded 1"], host.Services.GetRequiredService<Journal>().Entries);
        Assert.Equal(0, context.Posts);
    }

    [Fact]
    public async Task Advance_DueJobAwaitsUnderASingleThreadedContext_DoesNotDeadlock()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<YieldingJob>().UseSynchronousMode(), s => s.AddSingleton<Journal>());
        await host.Jobs.ScheduleAsync(new Yielding(2), TimeSpan.FromMinutes(1));
        var context = new StuckContext();

        await Task.Run(() =>
        {
            SynchronizationContext.SetSynchronizationContext(context);
            try
            {
                host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(1));
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(null);
            }
        }).WaitAsync(TestHost.Patience);

        Assert.Equal(["yielded 2"], host.Services.GetRequiredService<Journal>().Entries);
    }

    [Fact]
    public async Task RequeueDeadLetter_SynchronousMode_RunsItAgainInlineAndThrows()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<FlakyJob>().UseSynchronousMode());
        await Assert.ThrowsAsync<IOException>(async () => await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 0)));
        var id = Assert.Single(host.Monitor.GetDeadLetters()).Id;

        Assert.Throws<IOException>(() => host.Monitor.RequeueDeadLetter(id));

        Assert.Equal(2, host.Probe.Runs.Count);
        Assert.Equal(id, Assert.Single(host.Monitor.GetDeadLetters()).Id);
    }

    [Fact]
    public void UseSynchronousMode_NullConfigure_Throws()
    {
        var builder = new ServiceCollection().AddInProc();

        Assert.Throws<ArgumentNullException>(() => builder.UseSynchronousMode(null!));
    }

    internal sealed record Slow;

    internal sealed record Yielding(int Number);

    internal sealed record Again(int Level);

    internal sealed class SelfEnqueueingJob(Probe probe, IJobQueue jobs) : IJob<Again>
    {
        public async Task RunAsync(Again message, JobContext context)
        {
            probe.Record(message, context);
            await jobs.EnqueueAsync(new Again(message.Level + 1));
        }
    }

    internal sealed class SlowJob(TimeProvider time) : IJob<Slow>
    {
        public Task RunAsync(Slow message, JobContext context) => Task.Delay(TimeSpan.FromHours(1), time, context.CancellationToken);
    }

    internal sealed class YieldingJob(Journal journal) : IJob<Yielding>
    {
        public async Task RunAsync(Yielding message, JobContext context)
        {
            await Task.Yield();
            journal.Write($"yielded {message.Number}");
        }
    }

    internal sealed class ScopedThing : IDisposable
    {
        private static int _count;

        public string Name { get; } = $"thing {Interlocked.Increment(ref _count)}";

        public Journal? Journal { get; set; }

        public void Dispose() => Journal?.Write($"disposed {Name}");
    }

    internal sealed class ScopedChildJob(ScopedThing thing, Journal journal) : IJob<Child>
    {
        public Task RunAsync(Child message, JobContext context)
        {
            thing.Journal = journal;
            journal.Write(thing.Name);
            return Task.CompletedTask;
        }
    }

    internal sealed class JournalMiddleware(Journal journal) : IJobMiddleware
    {
        public async Task InvokeAsync(object message, JobContext context, JobDelegate next)
        {
            journal.Write($"middleware before {message}");
            await next();
            journal.Write("middleware after");
        }
    }

    /// <summary>Counts posts and never runs them.</summary>
    private sealed class StuckContext : SynchronizationContext
    {
        private int _posts;

        public int Posts => Volatile.Read(ref _posts);

        public override void Post(SendOrPostCallback d, object? state) => Interlocked.Increment(ref _posts);

        public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();
    }
}
