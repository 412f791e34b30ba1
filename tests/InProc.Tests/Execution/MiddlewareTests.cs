using System.Collections.Concurrent;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Execution;

public sealed class MiddlewareTests
{
    [Fact]
    public async Task UseMiddleware_Two_RunInRegistrationOrderAroundTheJob()
    {
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<LoggedJob>().UseMiddleware<Outer>().UseMiddleware<Inner>(),
            s => s.AddSingleton<Trail>());

        var id = await host.Jobs.EnqueueAsync(new Logged(false));
        await host.WaitForStateAsync(id, JobState.Succeeded);

        var trail = host.Services.GetRequiredService<Trail>();
        Assert.Equal(["outer before Logged { Fail = False } attempt 1", "inner before", "job", "inner after ok", "outer after ok"], trail.Entries);
    }

    [Fact]
    public async Task UseMiddleware_JobFails_MiddlewareSeesTheOutcome()
    {
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<LoggedJob>(j => j.Retry = RetryPolicy.None).UseMiddleware<Outer>().UseMiddleware<Inner>(),
            s => s.AddSingleton<Trail>());

        var id = await host.Jobs.EnqueueAsync(new Logged(true));
        await host.WaitForStateAsync(id, JobState.Failed);

        var trail = host.Services.GetRequiredService<Trail>();
        Assert.Equal("inner after InvalidOperationException", trail.Entries[^2]);
        Assert.Equal("outer after InvalidOperationException", trail.Entries[^1]);
    }

    [Fact]
    public async Task UseMiddleware_ScopedDependency_IsTheJobsOwnScope()
    {
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<TenantJob>().UseMiddleware<TenantMiddleware>(),
            s => s.AddScoped<Tenant>().AddSingleton<Trail>());

        var id = await host.Jobs.EnqueueAsync(new Logged(false));
        await host.WaitForStateAsync(id, JobState.Succeeded);

        Assert.Equal(["tenant acme"], host.Services.GetRequiredService<Trail>().Entries);
    }

    internal sealed record Logged(bool Fail);

    internal sealed class Trail
    {
        private readonly ConcurrentQueue<string> _entries = new();

        public string[] Entries => [.. _entries];

        public void Add(string entry) => _entries.Enqueue(entry);
    }

    internal sealed class LoggedJob(Trail trail) : IJob<Logged>
    {
        public Task RunAsync(Logged message, JobContext context)
        {
            trail.Add("job");
            return message.Fail ? Task.FromException(new InvalidOperationException("boom")) : Task.CompletedTask;
        }
    }

    internal sealed class Outer(Trail trail) : IJobMiddleware
    {
        public async Task InvokeAsync(object message, JobContext context, JobDelegate next)
        {
            trail.Add($"outer before {message} attempt {context.Attempt}");
            try
            {
                await next();
                trail.Add("outer after ok");
            }
            catch (Exception ex)
            {
                trail.Add($"outer after {ex.GetType().Name}");
                throw;
            }
        }
    }

    internal sealed class Inner(Trail trail) : IJobMiddleware
    {
        public async Task InvokeAsync(object message, JobContext context, JobDelegate next)
        {
            trail.Add("inner before");
            try
            {
                await next();
                trail.Add("inner after ok");
            }
            catch (Exception ex)
            {
                trail.Add($"inner after {ex.GetType().Name}");
                throw;
            }
        }
    }

    internal sealed class Tenant
    {
        public string? Name { get; set; }
    }

    internal sealed class TenantMiddleware(Tenant tenant) : IJobMiddleware
    {
        public Task InvokeAsync(object message, JobContext context, JobDelegate next)
        {
            tenant.Name = "acme";
            return next();
        }
    }

    internal sealed class TenantJob(Tenant tenant, Trail trail) : IJob<Logged>
    {
        public Task RunAsync(Logged message, JobContext context)
        {
            trail.Add($"tenant {tenant.Name}");
            return Task.CompletedTask;
        }
    }
}
