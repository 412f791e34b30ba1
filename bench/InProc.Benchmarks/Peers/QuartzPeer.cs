using InProc.Benchmarks.Infrastructure;
using Quartz;

namespace InProc.Benchmarks.Peers;

/// <summary>
/// Quartz.NET with its in-memory job store (RAMJobStore) and its default thread pool limited to N concurrent jobs.
/// Each item is its own job, fired by a "now" trigger: the way Quartz runs one-off background work.
/// </summary>
public sealed class QuartzPeer : IAsyncDisposable
{
    private QuartzPeer(IScheduler scheduler) => Scheduler = scheduler;

    public IScheduler Scheduler { get; }

    public static async Task<QuartzPeer> StartAsync(int workers, bool start = true)
    {
        var scheduler = await QuartzSchedulerBuilder.Create(q =>
            {
                q.UseInMemoryStore();
                q.UseDefaultThreadPool(workers);
            })
            .BuildScheduler();
        if (start)
        {
            await scheduler.Start();
        }

        return new QuartzPeer(scheduler);
    }

    /// <summary>Schedules one no-op job to run now.</summary>
    public async ValueTask EnqueueNoopAsync() =>
        await Scheduler.ScheduleJob(JobBuilder.Create<QuartzNoopJob>().Build(), TriggerBuilder.Create().StartNow().Build());

    /// <summary>Schedules the latency harness's job for slot <paramref name="index"/> to run now.</summary>
    public async ValueTask EnqueueLatencyAsync(int index) =>
        await Scheduler.ScheduleJob(
            JobBuilder.Create<QuartzLatencyJob>().UsingJobData(QuartzLatencyJob.IndexKey, index).Build(),
            TriggerBuilder.Create().StartNow().Build());

    /// <summary>Schedules one no-op job to run at <paramref name="runAt"/>.</summary>
    public async ValueTask ScheduleNoopAsync(DateTimeOffset runAt) =>
        await Scheduler.ScheduleJob(JobBuilder.Create<QuartzNoopJob>().Build(), TriggerBuilder.Create().StartAt(runAt).Build());

    public async ValueTask DisposeAsync() => await Scheduler.Shutdown(waitForJobsToComplete: false);
}

public sealed class QuartzNoopJob : Quartz.IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) => new(Work.RunNoop());
}

public sealed class QuartzLatencyJob : Quartz.IJob
{
    public const string IndexKey = "index";

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        Harness.LatencyHarness.Started(context.MergedJobDataMap.GetInt(IndexKey));
        return new(Work.RunNoop());
    }
}
