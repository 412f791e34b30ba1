using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using InProc.Hosting;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Limits;

public sealed class LimitMetricsTests
{
    [Fact]
    public async Task Meter_DuplicatesAndRateWaits_AreCountedAndTheWaitTimed()
    {
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<KeyedJob, Keyed>(j => j.UniqueBy(m => m.Key + m.Number).RateLimit(m => m.Key, perSecond: 1)).UseSynchronousMode(),
            s => s.AddSingleton<KeyTracker>());
        var meter = host.Services.GetRequiredService<InProcRuntime>().Metrics.Meter;
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name is "inproc.job.duplicates" or "inproc.job.limit_waits" or "inproc.job.limit_wait.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();

        await host.Jobs.EnqueueAsync(new Keyed("p", 1)); // runs: the bucket's one token
        await host.Jobs.EnqueueAsync(new Keyed("p", 2)); // waits on the rate limit
        await host.Jobs.EnqueueAsync(new Keyed("p", 2)); // a duplicate of the waiting one
        host.Clock.Advance(TimeSpan.FromSeconds(1));

        var duplicate = Assert.Single(measurements, m => m.Instrument == "inproc.job.duplicates");
        Assert.Equal(nameof(Keyed), duplicate.Tags["job.type"]);
        var wait = Assert.Single(measurements, m => m.Instrument == "inproc.job.limit_waits");
        Assert.Equal("rate", wait.Tags["limit.kind"]);
        var waited = Assert.Single(measurements, m => m.Instrument == "inproc.job.limit_wait.duration");
        Assert.Equal(1.0, waited.Value);
    }
}
