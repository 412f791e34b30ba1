using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using InProc.Hosting;
using InProc.Testing;
using Microsoft.Extensions.DependencyInjection;
using static InProc.Tests.Recurring.RecurringSetup;

namespace InProc.Tests.Recurring;

/// <summary>IJobMonitor's recurring members: snapshots, trigger, pause and resume, and the metrics.</summary>
public sealed class RecurringMonitorTests
{
    [Fact]
    public void GetRecurringJobs_BeforeAndAfterARun_ShowsScheduleAndLastRun()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        using var services = Synchronous(
            clock,
            b => b.AddRecurringJob<SlotRunJob, SlotRun>("totals", "30 1 * * *", slot => new SlotRun(slot), r =>
            {
                r.TimeZone = "Europe/Berlin";
                r.Queue = "maintenance";
                r.Misfire = MisfirePolicy.RunAll;
                r.Overlap = OverlapPolicy.Queue;
            }),
            o => o.AddQueue("maintenance"));

        var before = Assert.Single(services.Monitor().GetRecurringJobs());
        Assert.Equal("totals", before.Name);
        Assert.Equal("30 1 * * *", before.Expression);
        Assert.Equal("Europe/Berlin", before.TimeZone);
        Assert.Equal("maintenance", before.Queue);
        Assert.Equal(MisfirePolicy.RunAll, before.Misfire);
        Assert.Equal(OverlapPolicy.Queue, before.Overlap);
        Assert.False(before.IsPaused);
        Assert.Equal(Start.AddHours(0.5), before.NextRunAt); // 01:30 in Berlin (+01:00 in March) is 00:30 UTC
        Assert.Null(before.LastRunSlot);
        Assert.Null(before.LastRunJobId);
        Assert.Null(before.LastRunState);

        clock.AdvanceStepwise(TimeSpan.FromHours(1));

        var after = Assert.Single(services.Monitor().GetRecurringJobs());
        Assert.Equal(Start.AddHours(0.5), after.LastRunSlot);
        Assert.Equal(JobState.Succeeded, after.LastRunState);
        Assert.Equal(Start.AddDays(1).AddHours(0.5), after.NextRunAt);
        var job = services.Monitor().GetJob(after.LastRunJobId!.Value)!;
        Assert.Equal("maintenance", job.Queue);
        Assert.Equal(services.Log().Runs.Single().Id, job.Id);
    }

    [Fact]
    public void PauseAndResume_SlotsWhilePaused_NeverRun()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        using var services = Synchronous(clock, b => b.EveryMinute());
        var monitor = services.Monitor();

        Assert.True(monitor.PauseRecurring("tick"));
        Assert.False(monitor.PauseRecurring("tick"));
        clock.AdvanceStepwise(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(30));
        Assert.Empty(services.Log().Runs);
        Assert.True(monitor.GetRecurringJobs()[0].IsPaused);
        Assert.Null(monitor.GetRecurringJobs()[0].NextRunAt);

        Assert.True(monitor.ResumeRecurring("tick"));
        Assert.False(monitor.ResumeRecurring("tick"));

        // From now on: 00:04 is next; 00:01 to 00:03 never run, whatever the misfire policy.
        Assert.Equal(Start.AddMinutes(4), monitor.GetRecurringJobs()[0].NextRunAt);
        clock.AdvanceStepwise(TimeSpan.FromMinutes(1));
        Assert.Equal(Minutes(4), services.Log().Slots);
    }

    [Fact]
    public void Enabled_False_StartsPausedUntilResumed()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        using var services = Synchronous(clock, b => b.EveryMinute(configure: r => r.Enabled = false));

        clock.AdvanceStepwise(TimeSpan.FromMinutes(2));
        Assert.Empty(services.Log().Runs);
        Assert.True(services.Monitor().GetRecurringJobs()[0].IsPaused);

        Assert.True(services.Monitor().ResumeRecurring("tick"));
        clock.AdvanceStepwise(TimeSpan.FromMinutes(1));

        Assert.Equal(Minutes(3), services.Log().Slots);
    }

    [Fact]
    public void TriggerRecurring_RunsNowAndLeavesTheScheduleAlone()
    {
        var clock = new TimerAwareFakeTimeProvider(Start.AddSeconds(15));
        using var services = Synchronous(clock, b => b.EveryMinute(configure: r => r.Enabled = false));

        var id = services.Monitor().TriggerRecurring("tick");

        var run = Assert.Single(services.Log().Runs);
        Assert.Equal(id, run.Id);
        Assert.Equal(Start.AddSeconds(15), run.Slot);
        var snapshot = services.Monitor().GetRecurringJobs()[0];
        Assert.True(snapshot.IsPaused);
        Assert.Equal(Start.AddSeconds(15), snapshot.LastRunSlot);
        Assert.Equal(JobState.Succeeded, snapshot.LastRunState);
    }

    [Fact]
    public void RecurringMembers_UnknownName_ThrowNamingTheKnownOnes()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        using var services = Synchronous(clock, b => b.EveryMinute("purge").EveryMinute("totals"));
        var monitor = services.Monitor();

        var error = Assert.Throws<ArgumentException>(() => monitor.TriggerRecurring("Purge"));
        Assert.Contains("No recurring job is named 'Purge'; the recurring jobs are 'purge', 'totals'.", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => monitor.PauseRecurring("nope"));
        Assert.Throws<ArgumentException>(() => monitor.ResumeRecurring("nope"));
        Assert.Throws<ArgumentNullException>(() => monitor.TriggerRecurring(null!));
    }

    [Fact]
    public void RecurringMembers_NoRecurringJobs_EmptyAndThrowing()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        using var services = Synchronous(clock, _ => { });

        Assert.Empty(services.Monitor().GetRecurringJobs());
        Assert.Null(services.Monitor().LastRecurringTick);
        var error = Assert.Throws<ArgumentException>(() => services.Monitor().TriggerRecurring("purge"));
        Assert.Contains("no recurring jobs are registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Meter_RunsAndSkippedSlots_AreCountedWithTheLastTick()
    {
        var clock = new SkewedClock(Start);
        using var services = Synchronous(clock, b => b.EveryMinute());
        var meter = services.GetRequiredService<InProcRuntime>().Metrics.Meter;
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();

        clock.AdvanceStepwise(TimeSpan.FromMinutes(1));
        clock.Jump(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(10)); // 00:02 to 00:06 came due: one run, four skipped
        listener.RecordObservableInstruments();

        var runs = measurements.Where(m => m.Instrument == "inproc.recurring.runs").ToList();
        Assert.All(runs, m => Assert.Equal("tick", m.Tags["recurring.name"]));
        Assert.Equal(2, runs.Where(m => (string?)m.Tags["recurring.outcome"] == "ran").Sum(m => m.Value));
        Assert.Equal(4, runs.Where(m => (string?)m.Tags["recurring.outcome"] == "skipped_misfire").Sum(m => m.Value));
        var tick = Assert.Single(measurements, m => m.Instrument == "inproc.recurring.last_tick");
        Assert.Equal((Start.AddMinutes(6).AddSeconds(10) - DateTimeOffset.UnixEpoch).TotalSeconds, tick.Value);
    }
}
