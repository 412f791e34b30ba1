using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using InProc.Hosting;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Diagnostics;

public sealed class InProcMetricsTests
{
    [Fact]
    public async Task Meter_JobsSucceedRetryAndDie_AreCountedWithTags()
    {
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<PingJob>().AddJob<FlakyJob>(j => j.Retry = RetryPolicy.Fixed(2, TimeSpan.FromSeconds(1))));
        var meter = host.Services.GetRequiredService<InProcRuntime>().Metrics.Meter;
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
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => measurements.Enqueue((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();

        var ok = await host.Jobs.EnqueueAsync(new Ping(1));
        await host.WaitForStateAsync(ok, JobState.Succeeded);
        var failing = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 0));
        await host.WaitForStateAsync(failing, JobState.Retrying, 2);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        await host.WaitForStateAsync(failing, JobState.Failed);
        listener.RecordObservableInstruments();

        Assert.Equal(3, measurements.Count(m => m.Instrument == "inproc.job.enqueued")); // Ping, Flaky, Flaky's retry
        var retried = Assert.Single(measurements, m => m.Instrument == "inproc.job.retried");
        Assert.Equal(typeof(IOException).FullName, retried.Tags["error.type"]);
        var dead = Assert.Single(measurements, m => m.Instrument == "inproc.job.dead_lettered");
        Assert.Equal(nameof(Flaky), dead.Tags["job.type"]);
        Assert.Equal("default", dead.Tags["queue.name"]);
        Assert.Equal(3, measurements.Count(m => m.Instrument == "inproc.job.duration"));
        Assert.Contains(measurements, m => m.Instrument == "inproc.queue.depth" && (string?)m.Tags["queue.name"] == "default" && m.Value == 0);
    }

    [Fact]
    public async Task Meter_QueueFullDrops_AreCounted()
    {
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("default", q => { q.Workers = 1; q.Capacity = 1; q.FullMode = QueueFullMode.DropNewest; }),
            b => b.AddJob<BlockingJob>());
        var meter = host.Services.GetRequiredService<InProcRuntime>().Metrics.Meter;
        var dropped = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "inproc.job.dropped")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, v, _, _) => Interlocked.Add(ref dropped, v));
        listener.Start();
        await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);
        await host.Jobs.EnqueueAsync(new Blocking(1));

        Assert.False(host.Jobs.TryEnqueue(new Blocking(2), out _));
        Assert.False(host.Jobs.TryEnqueue(new Blocking(3), out _));

        Assert.Equal(2, Interlocked.Read(ref dropped));
        host.Gates.Open(0);
        host.Gates.Open(1);
    }
}
