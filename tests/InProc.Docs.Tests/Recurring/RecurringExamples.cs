using InProc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MyApp.Recurring;

public sealed class PurgeDeletedUsers
{
}

public sealed class PurgeDeletedUsersJob(RunCounter counter) : IJob<PurgeDeletedUsers>
{
    public Task RunAsync(PurgeDeletedUsers message, JobContext context)
    {
        counter.Purges++;
        return Task.CompletedTask;
    }
}

public sealed record NightlyTotals(DateTimeOffset Night);

public sealed class NightlyTotalsJob(RunCounter counter) : IJob<NightlyTotals>
{
    public Task RunAsync(NightlyTotals message, JobContext context)
    {
        counter.Nights.Add(message.Night);
        return Task.CompletedTask;
    }
}

public sealed class RunCounter
{
    public int Purges { get; set; }

    public List<DateTimeOffset> Nights { get; } = [];
}

/// <summary>The README's "Recurring jobs" snippets, compiled and run on a fake clock (each snippet is a run of lines here).</summary>
public sealed class RecurringExamples : IDisposable
{
    // Sunday 1 March 2026, 12:00 in Berlin (+01:00).
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services;

    public RecurringExamples()
    {
        var builder = new { Services = new ServiceCollection() };
        builder.Services.AddSingleton<TimeProvider>(_clock).AddSingleton<RunCounter>();

        builder.Services.AddInProc(o => o.AddQueue("maintenance"))
            .AddJob<PurgeDeletedUsersJob>()
            .AddJob<NightlyTotalsJob>()

            // One message per run, made by the message's public parameterless constructor.
            .AddRecurringJob<PurgeDeletedUsersJob>("purge", "0 3 * * *", r => r.TimeZone = "Europe/Berlin")

            // The message comes from the slot, which is the scheduled time in the schedule's zone. Each run knows which night it covers.
            .AddRecurringJob<NightlyTotalsJob, NightlyTotals>(
                "totals", "30 0 * * *", slot => new NightlyTotals(slot.AddDays(-1)),
                r => { r.TimeZone = "Europe/Berlin"; r.Misfire = MisfirePolicy.RunAll; })

            // Six fields put seconds first. This one runs every 30 s on another queue and stays paused until resumed.
            .AddRecurringJob<PurgeDeletedUsersJob>("purge-fast", "*/30 * * * * *", r =>
            {
                r.Queue = "maintenance";
                r.Enabled = false;
            });
        builder.Services.AddInProc().UseSynchronousMode(); // a second AddInProc configures the same runtime
        _services = builder.Services.BuildServiceProvider();
    }

    private IJobMonitor Monitor => _services.GetRequiredService<IJobMonitor>();

    [Fact]
    public void Schedules_ADayGoesBy_EachRunsAtItsLocalTime()
    {
        _ = Monitor; // building InProc arms the schedules (a host would start them)

        _clock.Advance(TimeSpan.FromDays(1));

        var counter = _services.GetRequiredService<RunCounter>();
        Assert.Equal(1, counter.Purges); // 03:00 Berlin; "purge-fast" is paused
        Assert.Equal([new DateTimeOffset(2026, 3, 1, 0, 30, 0, TimeSpan.FromHours(1))], counter.Nights);
    }

    [Fact]
    public void Monitor_TriggerPauseResume_AsTheReadmeShows()
    {
        var monitor = Monitor;

        foreach (var job in monitor.GetRecurringJobs())
        {
            Console.WriteLine($"{job.Name} ({job.Expression}, {job.TimeZone}): next {job.NextRunAt}, last {job.LastRunJobId} {job.LastRunState}");
        }

        JobId? id = monitor.TriggerRecurring("purge");   // one run now, outside the schedule
        monitor.PauseRecurring("totals");                // true if it was running on its schedule
        monitor.ResumeRecurring("purge-fast");           // its next slot is the first after now: no catch-up

        Assert.Equal(JobState.Succeeded, monitor.GetJob(id!.Value)!.State);
        Assert.True(monitor.GetRecurringJobs().Single(j => j.Name == "totals").IsPaused);
        Assert.False(monitor.GetRecurringJobs().Single(j => j.Name == "purge-fast").IsPaused);
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(2, _services.GetRequiredService<RunCounter>().Purges);
    }

    public void Dispose() => _services.Dispose();
}
