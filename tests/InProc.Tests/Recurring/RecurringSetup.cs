using System.Collections.Concurrent;
using InProc.Testing;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InProc.Tests.Recurring;

/// <summary>A run of a recurring test job: the slot it stands for.</summary>
internal sealed record SlotRun(DateTimeOffset Slot);

/// <summary>What <see cref="SlotRunJob"/> saw: each run's slot (UTC), job id and thread.</summary>
internal sealed class RunLog
{
    public ConcurrentQueue<(DateTimeOffset Slot, JobId Id, int Thread)> Runs { get; } = new();

    public List<DateTimeOffset> Slots => [.. Runs.Select(r => r.Slot)];
}

internal sealed class SlotRunJob(RunLog log) : IJob<SlotRun>
{
    public Task RunAsync(SlotRun message, JobContext context)
    {
        log.Runs.Enqueue((message.Slot.ToUniversalTime(), context.Id, Environment.CurrentManagedThreadId));
        return Task.CompletedTask;
    }
}

/// <summary>Providers for recurring tests: synchronous or fake mode on a given clock, InProc built (so the schedules are armed).</summary>
internal static class RecurringSetup
{
    /// <summary>Monday 2 March 2026, midnight UTC: no DST change in the days the tests walk through.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    public static ServiceProvider Synchronous(TimeProvider clock, Action<InProcBuilder> jobs, Action<InProcOptions>? options = null, bool retries = false, CapturingLoggerProvider? logs = null)
    {
        var services = Services(clock, logs);
        var builder = services.AddInProc(options);
        if (retries)
        {
            builder.UseSynchronousMode(o => o.EnableRetries = true);
        }
        else
        {
            builder.UseSynchronousMode();
        }

        jobs(builder.AddJob<SlotRunJob>());
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IJobMonitor>();
        return provider;
    }

    public static ServiceProvider Fake(TimeProvider clock, Action<InProcBuilder> jobs)
    {
        var services = Services(clock, null);
        jobs(services.AddInProc().UseFakeMode().AddJob<SlotRunJob>());
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<FakeJobQueue>();
        return provider;
    }

    /// <summary>Every minute, each run sending its slot.</summary>
    public static InProcBuilder EveryMinute(this InProcBuilder builder, string name = "tick", Action<RecurringJobOptions>? configure = null) =>
        builder.AddRecurringJob<SlotRunJob, SlotRun>(name, "* * * * *", slot => new SlotRun(slot), configure);

    public static List<DateTimeOffset> Minutes(params int[] minutes) => [.. minutes.Select(m => Start.AddMinutes(m))];

    public static RunLog Log(this IServiceProvider services) => services.GetRequiredService<RunLog>();

    public static IJobMonitor Monitor(this IServiceProvider services) => services.GetRequiredService<IJobMonitor>();

    private static ServiceCollection Services(TimeProvider clock, CapturingLoggerProvider? logs)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddSingleton<RunLog>();
        services.AddSingleton<Probe>();
        services.AddSingleton<Gates>();
        if (logs is not null)
        {
            services.AddLogging(l => l.AddProvider(logs));
        }

        return services;
    }
}
