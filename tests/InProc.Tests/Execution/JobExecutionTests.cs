using System.Collections.Concurrent;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Execution;

public sealed class JobExecutionTests
{
    [Fact]
    public async Task EnqueueAsync_JobWithScopedDependency_GetsFreshScopeDisposedAfter()
    {
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("default", q => q.Workers = 2),
            b => b.AddJob<ScopedJob>(),
            s => s.AddScoped<ScopedDependency>().AddSingleton<ScopeLog>());

        var ids = new List<JobId>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await host.Jobs.EnqueueAsync(new UseScope(i)));
        }

        foreach (var id in ids)
        {
            await host.WaitForStateAsync(id, JobState.Succeeded);
        }

        var log = host.Services.GetRequiredService<ScopeLog>();
        Assert.Equal(10, log.Used.Count);
        Assert.Equal(10, log.Used.Distinct().Count()); // one scope, so one instance, per execution
        Assert.All(log.Used, d => Assert.True(d.Disposed));
        Assert.All(log.Used, d => Assert.False(d.DisposedWhileInUse));
    }

    [Fact]
    public async Task Worker_JobThrows_KeepsRunningLaterJobs()
    {
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("default", q => q.Workers = 1),
            b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.None).AddJob<PingJob>());

        var failing = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 0));
        var next = await host.Jobs.EnqueueAsync(new Ping(1));

        var failed = await host.WaitForStateAsync(failing, JobState.Failed);
        await host.WaitForStateAsync(next, JobState.Succeeded);
        Assert.Equal(typeof(IOException).FullName, failed.ErrorType);
    }

    [Fact]
    public async Task RunAsync_Context_CarriesIdQueueAttemptAndEnqueueTime()
    {
        await using var host = await TestHost.StartAsync(o => o.AddQueue("mail"), b => b.AddJob<PingJob>(j => j.Queue = "mail"));
        var enqueuedAt = host.Clock.GetUtcNow();

        var id = await host.Jobs.EnqueueAsync(new Ping(7));
        await host.WaitForStateAsync(id, JobState.Succeeded);

        var (message, context) = Assert.Single(host.Probe.Runs);
        Assert.Equal(new Ping(7), message);
        Assert.Equal(id, context.Id);
        Assert.Equal("mail", context.Queue);
        Assert.Equal(1, context.Attempt);
        Assert.Equal(enqueuedAt, context.EnqueuedAt);
    }

    [Fact]
    public async Task EnqueueAsync_AsObject_RunsTheRegisteredJob()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>());

        var id = await host.Jobs.EnqueueAsync<object>(new Ping(3));

        await host.WaitForStateAsync(id, JobState.Succeeded);
        Assert.Equal(new Ping(3), Assert.Single(host.Probe.Runs).Message);
    }

    [Fact]
    public async Task AddJob_ClassWithTwoMessageTypes_HandlesBoth()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<TwoMessagesJob>());

        var a = await host.Jobs.EnqueueAsync(new Ping(1));
        var b = await host.Jobs.EnqueueAsync(new UseScope(2));

        await host.WaitForStateAsync(a, JobState.Succeeded);
        await host.WaitForStateAsync(b, JobState.Succeeded);
        Assert.Equal(2, host.Probe.Runs.Count);
    }

    internal sealed record UseScope(int Number);

    internal sealed class ScopeLog
    {
        public ConcurrentBag<ScopedDependency> Used { get; } = [];
    }

    internal sealed class ScopedDependency : IDisposable
    {
        public bool InUse { get; set; }

        public bool Disposed { get; private set; }

        public bool DisposedWhileInUse { get; private set; }

        public void Dispose()
        {
            DisposedWhileInUse = InUse;
            Disposed = true;
        }
    }

    internal sealed class ScopedJob(ScopedDependency dependency, ScopeLog log) : IJob<UseScope>
    {
        public async Task RunAsync(UseScope message, JobContext context)
        {
            dependency.InUse = true;
            log.Used.Add(dependency);
            await Task.Yield();
            Assert.False(dependency.Disposed);
            dependency.InUse = false;
        }
    }

    internal sealed class TwoMessagesJob(Probe probe) : IJob<Ping>, IJob<UseScope>
    {
        public Task RunAsync(Ping message, JobContext context)
        {
            probe.Record(message, context);
            return Task.CompletedTask;
        }

        public Task RunAsync(UseScope message, JobContext context)
        {
            probe.Record(message, context);
            return Task.CompletedTask;
        }
    }
}
