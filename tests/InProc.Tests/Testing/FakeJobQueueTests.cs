using InProc.Testing;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Testing;

public sealed class FakeJobQueueTests
{
    [Fact]
    public async Task EnqueueAsync_FakeMode_RecordsTheJobWithoutRunningIt()
    {
        await using var host = await StartAsync(b => b.AddJob<PingJob>(j => j.Queue = "mail"));
        var fake = host.Services.GetRequiredService<FakeJobQueue>();
        var enqueuedAt = host.Clock.GetUtcNow();

        var id = await host.Jobs.EnqueueAsync(new Ping(7));

        Assert.Same(fake, host.Jobs);
        Assert.Empty(host.Probe.Runs);
        var job = Assert.Single(fake.Enqueued<Ping>());
        Assert.Equal(new Ping(7), job.Message);
        Assert.Equal(id, job.Id);
        Assert.Equal("mail", job.Queue);
        Assert.Equal(enqueuedAt, job.EnqueuedAt);
        Assert.Null(job.RunAt);
        Assert.Equal(JobState.Enqueued, job.State);
        Assert.True(job.IsPending);
        Assert.Equal(JobState.Enqueued, host.Monitor.GetJob(id)!.State);
    }

    [Fact]
    public async Task ScheduleAsync_FakeMode_RecordsTheTimeItWasScheduledFor()
    {
        await using var host = await StartAsync(b => b.AddJob<PingJob>());
        var fake = host.Services.GetRequiredService<FakeJobQueue>();
        var now = host.Clock.GetUtcNow();

        var later = await host.Jobs.ScheduleAsync(new Ping(1), TimeSpan.FromHours(1));
        await host.Jobs.ScheduleAsync(new Ping(2), runAt: now.AddDays(1));
        await host.Jobs.ScheduleAsync(new Ping(3), runAt: now.AddDays(-1)); // in the past: enqueued to run now, as in production
        host.Clock.AdvanceStepwise(TimeSpan.FromDays(2));

        Assert.Empty(host.Probe.Runs); // the clock runs nothing in fake mode
        Assert.Equal(
            [(new Ping(1), now.AddHours(1), JobState.Scheduled), (new Ping(2), now.AddDays(1), JobState.Scheduled), (new Ping(3), (DateTimeOffset?)null, JobState.Enqueued)],
            fake.Enqueued<Ping>().Select(j => (j.Message, j.RunAt, j.State)));
        Assert.Equal(now.AddHours(1), host.Monitor.GetJob(later)!.NextAttemptAt);
    }

    [Fact]
    public async Task Enqueued_SeveralMessageTypes_ReturnsOnlyThatTypeInOrder()
    {
        // ChildJob needs a Journal: the start-up check refuses a job the container cannot build, in every mode.
        await using var host = await StartAsync(b => b.AddJob<PingJob>().AddJob<ChildJob>(), s => s.AddSingleton<Journal>());
        var fake = host.Services.GetRequiredService<FakeJobQueue>();

        await host.Jobs.EnqueueAsync(new Ping(1));
        await host.Jobs.EnqueueAsync(new Child(1));
        Assert.True(host.Jobs.TryEnqueue(new Ping(2), out _));
        await host.Jobs.EnqueueAsync<object>(new Ping(3));

        Assert.Equal([new Ping(1), new Ping(2), new Ping(3)], fake.Enqueued<Ping>().Select(j => j.Message));
        Assert.Equal([new Child(1)], fake.Enqueued<Child>().Select(j => j.Message));
        Assert.Equal(4, fake.Enqueued<object>().Count);
        Assert.Equal([new Ping(1), new Child(1), new Ping(2), new Ping(3)], fake.All.Select(j => j.Message));
    }

    [Fact]
    public async Task RunAllAsync_PendingJobs_RunThroughTheRealPipelineAndStayRecorded()
    {
        await using var host = await StartAsync(
            b => b.AddJob<PingJob>(j => j.Queue = "mail").UseMiddleware<CountingMiddleware>(),
            s => s.AddSingleton<Counter>());
        var fake = host.Services.GetRequiredService<FakeJobQueue>();
        var first = await host.Jobs.EnqueueAsync(new Ping(1));
        var second = await host.Jobs.ScheduleAsync(new Ping(2), TimeSpan.FromDays(3));

        var ran = await fake.RunAllAsync();

        Assert.Equal(2, ran);
        Assert.Equal([(new Ping(1), first, "mail"), (new Ping(2), second, "mail")], host.Probe.Runs.Select(r => (r.Message, r.Context.Id, r.Context.Queue)));
        Assert.Equal(2, host.Services.GetRequiredService<Counter>().Value);
        Assert.All(fake.All, j => Assert.Equal(JobState.Succeeded, j.State));
        Assert.Empty(fake.Pending);
        Assert.Equal(JobState.Succeeded, host.Monitor.GetJob(second)!.State);
        Assert.Equal(0, await fake.RunAllAsync()); // each job runs once
    }

    [Fact]
    public async Task RunAllAsync_JobsEnqueueOthers_RunsThemAfterTheJobsAlreadyWaiting()
    {
        await using var host = await StartAsync(b => b.AddJob<ParentJob>().AddJob<ChildJob>(), s => s.AddSingleton<Journal>());
        var fake = host.Services.GetRequiredService<FakeJobQueue>();
        await host.Jobs.EnqueueAsync(new Parent(1, Children: 2));
        await host.Jobs.EnqueueAsync(new Parent(2, Children: 0));

        var ran = await fake.RunAllAsync().WaitAsync(TestHost.Patience);

        Assert.Equal(4, ran);
        Assert.Equal(["parent 1 start", "parent 1 end", "parent 2 start", "parent 2 end", "child 1", "child 2"], host.Services.GetRequiredService<Journal>().Entries);
        Assert.Equal([new Child(1), new Child(2)], fake.Enqueued<Child>().Select(j => j.Message));
    }

    [Fact]
    public async Task RunAsync_OneJob_RunsOnlyThatJobAndRecordsWhatItEnqueues()
    {
        await using var host = await StartAsync(b => b.AddJob<ParentJob>().AddJob<ChildJob>(), s => s.AddSingleton<Journal>());
        var fake = host.Services.GetRequiredService<FakeJobQueue>();
        await host.Jobs.EnqueueAsync(new Parent(1, Children: 0));
        var second = await host.Jobs.EnqueueAsync(new Parent(2, Children: 1));

        await fake.RunAsync(second).WaitAsync(TestHost.Patience);

        Assert.Equal(["parent 2 start", "parent 2 end"], host.Services.GetRequiredService<Journal>().Entries);
        Assert.Equal([new Parent(1, 0), new Child(1)], fake.Pending.Select(j => j.Message));
    }

    [Fact]
    public async Task RunAllAsync_JobThrows_ThrowsItsExceptionAndLeavesTheRestPending()
    {
        await using var host = await StartAsync(b => b.AddJob<BoomJob>().AddJob<ChildJob>(), s => s.AddSingleton<Journal>());
        var fake = host.Services.GetRequiredService<FakeJobQueue>();
        await host.Jobs.EnqueueAsync(new Child(1));
        var failing = await host.Jobs.EnqueueAsync(new Boom("x"));
        await host.Jobs.EnqueueAsync(new Child(2));

        var error = await Assert.ThrowsAsync<BoomException>(() => fake.RunAllAsync());

        Assert.Contains($"{nameof(BoomJob)}.Explode", error.StackTrace, StringComparison.Ordinal);
        Assert.Equal(["child 1", "boom x"], host.Services.GetRequiredService<Journal>().Entries);
        Assert.Equal(JobState.Failed, fake.All.Single(j => j.Id == failing).State);
        Assert.Equal(failing, Assert.Single(host.Monitor.GetDeadLetters()).Id);
        Assert.Equal([new Child(2)], fake.Pending.Select(j => j.Message));
    }

    [Fact]
    public async Task RunAllAsync_JobEnqueuesItselfWithoutEnd_StopsAtMaxJobs()
    {
        await using var host = await StartAsync(b => b.AddJob<ForeverJob>());
        var fake = host.Services.GetRequiredService<FakeJobQueue>();
        await host.Jobs.EnqueueAsync(new Forever(1));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => fake.RunAllAsync(maxJobs: 50).WaitAsync(TestHost.Patience));

        Assert.Contains("ran 50 jobs", error.Message, StringComparison.Ordinal);
        Assert.Contains("Forever { Generation = 51 }", error.Message, StringComparison.Ordinal);
        Assert.Equal(51, fake.All.Count);
    }

    [Fact]
    public async Task RunAllAsync_MaxJobsBelowOne_Throws()
    {
        await using var host = await StartAsync(b => b.AddJob<PingJob>());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => host.Services.GetRequiredService<FakeJobQueue>().RunAllAsync(maxJobs: 0));
    }

    [Fact]
    public async Task Clear_RecordedJobs_ForgetsThemAndNeverRunsThem()
    {
        await using var host = await StartAsync(b => b.AddJob<PingJob>());
        var fake = host.Services.GetRequiredService<FakeJobQueue>();
        var id = await host.Jobs.EnqueueAsync(new Ping(1));

        fake.Clear();

        Assert.Empty(fake.All);
        Assert.Empty(fake.Enqueued<Ping>());
        Assert.Equal(0, await fake.RunAllAsync());
        Assert.Empty(host.Probe.Runs);
        Assert.Null(host.Monitor.GetJob(id));
        await Assert.ThrowsAsync<InvalidOperationException>(() => fake.RunAsync(id));
    }

    [Fact]
    public async Task Cancel_PendingJob_StaysRecordedAsCancelledAndNeverRuns()
    {
        await using var host = await StartAsync(b => b.AddJob<PingJob>());
        var fake = host.Services.GetRequiredService<FakeJobQueue>();
        var cancelled = await host.Jobs.ScheduleAsync(new Ping(1), TimeSpan.FromMinutes(5));
        await host.Jobs.EnqueueAsync(new Ping(2));

        Assert.True(host.Jobs.Cancel(cancelled));
        Assert.False(host.Jobs.Cancel(cancelled));
        await fake.RunAllAsync();

        Assert.Equal(new Ping(2), Assert.Single(host.Probe.Runs).Message);
        Assert.Equal(JobState.Cancelled, fake.All[0].State);
        Assert.Equal(JobState.Cancelled, host.Monitor.GetJob(cancelled)!.State);
    }

    [Fact]
    public async Task RunAsync_JobThatRanOrIsUnknown_ThrowsSayingWhy()
    {
        await using var host = await StartAsync(b => b.AddJob<PingJob>());
        var fake = host.Services.GetRequiredService<FakeJobQueue>();
        var id = await host.Jobs.EnqueueAsync(new Ping(1));
        await fake.RunAsync(id);

        var again = await Assert.ThrowsAsync<InvalidOperationException>(() => fake.RunAsync(id));
        var unknown = await Assert.ThrowsAsync<InvalidOperationException>(() => fake.RunAsync(default));

        Assert.Contains("already run", again.Message, StringComparison.Ordinal);
        Assert.Contains("No job", unknown.Message, StringComparison.Ordinal);
        Assert.Single(host.Probe.Runs);
    }

    [Fact]
    public async Task EnqueueAsync_MessageWithoutJob_ThrowsAsInProduction()
    {
        await using var host = await StartAsync(b => b.AddJob<PingJob>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await host.Jobs.EnqueueAsync(new Child(1)));

        Assert.Contains("No job is registered for message type", error.Message, StringComparison.Ordinal);
        Assert.Empty(host.Services.GetRequiredService<FakeJobQueue>().All);
    }

    [Fact]
    public async Task UseFakeMode_StartedHost_RunsNoWorkersAndArmsNoTimers()
    {
        await using var host = await StartAsync(b => b.AddJob<PingJob>());

        await host.Jobs.EnqueueAsync(new Ping(1));
        await host.Jobs.ScheduleAsync(new Ping(2), TimeSpan.FromSeconds(1));

        Assert.Empty(host.Monitor.GetQueues());
        Assert.Equal(0, host.Clock.ActiveTimerCount);
        Assert.Empty(host.Probe.Runs);
    }

    [Fact]
    public async Task UseFakeMode_PlainServiceProviderWithoutHost_RecordsAndRuns()
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))).AddSingleton<Probe>();
        services.AddInProc().AddJob<PingJob>().UseFakeMode();
        await using var provider = services.BuildServiceProvider();
        var jobs = provider.GetRequiredService<IJobQueue>();
        var fake = provider.GetRequiredService<FakeJobQueue>();

        await jobs.EnqueueAsync(new Ping(1));
        Assert.Empty(provider.GetRequiredService<Probe>().Runs);
        await fake.RunAllAsync();

        Assert.Equal(new Ping(1), Assert.Single(provider.GetRequiredService<Probe>().Runs).Message);
    }

    [Fact]
    public async Task FakeJob_ToString_NamesMessageIdQueueScheduleAndState()
    {
        await using var host = await StartAsync(b => b.AddJob<PingJob>());
        var fake = host.Services.GetRequiredService<FakeJobQueue>();
        var id = await host.Jobs.ScheduleAsync(new Ping(1), TimeSpan.FromHours(1));

        Assert.Equal($"Ping {{ Number = 1 }} (job {id}, queue 'default', scheduled for 2026-01-01T01:00:00.0000000+00:00, Scheduled)", Assert.Single(fake.All).ToString());
    }

    [Fact]
    public void UseFakeMode_NullBuilder_Throws() =>
        Assert.Throws<ArgumentNullException>(() => FakeModeInProcBuilderExtensions.UseFakeMode(null!));

    // The "mail" queue is configured as in an application; fake mode gives it no channel and no workers.
    private static Task<TestHost> StartAsync(Action<InProcBuilder> jobs, Action<IServiceCollection>? services = null) =>
        TestHost.StartAsync(o => o.AddQueue("mail"), b => jobs(b.UseFakeMode()), services);

    internal sealed class Counter
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }

    internal sealed class CountingMiddleware(Counter counter) : IJobMiddleware
    {
        public Task InvokeAsync(object message, JobContext context, JobDelegate next)
        {
            counter.Increment();
            return next();
        }
    }
}
