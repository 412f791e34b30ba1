using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using InProc.Hosting;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace InProc.Tests.Diagnostics;

/// <summary>
/// The README's OpenTelemetry section, through the OpenTelemetry SDK and its in-memory exporter. The SDK's
/// listeners are process-wide and tests run in parallel, so every assertion picks this test's own trace or queue.
/// </summary>
public sealed partial class OpenTelemetryTests
{
    private static readonly ActivitySource Requests = new("InProc.Tests.Requests");

    [Fact]
    public async Task Trace_JobEnqueuedInsideARequest_IsAConsumerSpanInTheRequestsTrace()
    {
        var spans = new LockedCollection<Activity>();
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<PingJob>(),
            s => s.AddOpenTelemetry().WithTracing(t => t.AddSource("InProc").AddSource(Requests.Name).AddInMemoryExporter(spans)));

        JobId id;
        ActivityContext request;
        using (var activity = Requests.StartActivity("POST /signup", ActivityKind.Server))
        {
            Assert.NotNull(activity);
            request = activity.Context;
            id = await host.Jobs.EnqueueAsync(new Ping(1));
        }

        await host.WaitForStateAsync(id, JobState.Succeeded);

        var job = Assert.Single(spans, s => s.TraceId == request.TraceId && s.Source.Name == "InProc");
        Assert.Equal(request.SpanId, job.ParentSpanId);
        Assert.Equal((ActivityKind.Consumer, nameof(Ping)), (job.Kind, job.DisplayName));
        Assert.Equal(id.ToString(), job.GetTagItem("job.id"));
        Assert.Equal(1, job.GetTagItem("job.attempt"));
        Assert.Equal("default", job.GetTagItem("queue.name"));
        Assert.Null(job.GetTagItem("error.type"));
        Assert.NotEqual(ActivityStatusCode.Error, job.Status);
        Assert.Contains(spans, s => s.SpanId == request.SpanId); // the request's own span was exported too
    }

    [Fact]
    public async Task Trace_RetriedJob_HasOneSpanPerAttemptAllChildrenOfTheEnqueuer()
    {
        var spans = new LockedCollection<Activity>();
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.Fixed(3, TimeSpan.FromSeconds(10))),
            s => s.AddOpenTelemetry().WithTracing(t => t.AddSource("InProc").AddSource(Requests.Name).AddInMemoryExporter(spans)));

        JobId id;
        ActivityContext request;
        using (var activity = Requests.StartActivity("POST /import", ActivityKind.Server))
        {
            request = activity!.Context;
            id = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 3));
        }

        // The retries run later, from the clock, where Activity.Current is not the request: the parent was captured at enqueue.
        await host.WaitForStateAsync(id, JobState.Retrying, 2);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(10));
        await host.WaitForStateAsync(id, JobState.Retrying, 3);
        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(10));
        await host.WaitForStateAsync(id, JobState.Succeeded);

        var attempts = spans.Where(s => s.TraceId == request.TraceId && s.Source.Name == "InProc").OrderBy(s => (int)s.GetTagItem("job.attempt")!).ToList();
        Assert.Equal([1, 2, 3], attempts.Select(s => (int)s.GetTagItem("job.attempt")!));
        Assert.All(attempts, s => Assert.Equal(request.SpanId, s.ParentSpanId));
        Assert.All(attempts, s => Assert.Equal(id.ToString(), s.GetTagItem("job.id")));
        Assert.Equal(3, attempts.Select(s => s.SpanId).Distinct().Count());
        Assert.All(attempts.Take(2), s =>
        {
            Assert.Equal(ActivityStatusCode.Error, s.Status);
            Assert.Equal(typeof(IOException).FullName, s.GetTagItem("error.type"));
        });
        Assert.NotEqual(ActivityStatusCode.Error, attempts[2].Status);
        Assert.Null(attempts[2].GetTagItem("error.type"));
    }

    [Fact]
    public async Task Trace_JobEnqueuedWithoutCurrentActivity_StartsATraceOfItsOwn()
    {
        var spans = new LockedCollection<Activity>();
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<PingJob>(),
            s => s.AddOpenTelemetry().WithTracing(t => t.AddSource("InProc").AddInMemoryExporter(spans)));
        Activity.Current = null;

        var id = await host.Jobs.EnqueueAsync(new Ping(2));
        await host.WaitForStateAsync(id, JobState.Succeeded);

        var job = Assert.Single(spans, s => Equals(s.GetTagItem("job.id"), id.ToString()));
        Assert.Equal(default, job.ParentSpanId);
    }

    [Fact]
    public async Task Metrics_AddMeterInProc_ExportsTheJobsMeasurements()
    {
        const string Queue = "otel-metrics";
        var metrics = new LockedCollection<Metric>();
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue(Queue),
            b => b.AddJob<PingJob>(j => j.Queue = Queue),
            s => s.AddOpenTelemetry().WithMetrics(m => m.AddMeter("InProc").AddInMemoryExporter(metrics)));

        var id = await host.Jobs.EnqueueAsync(new Ping(3));
        await host.WaitForStateAsync(id, JobState.Succeeded);
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();

        var enqueued = metrics.Where(m => m.Name == "inproc.job.enqueued").SelectMany(Points).Where(p => p.Tags.TryGetValue("queue.name", out var q) && Equals(q, Queue)).ToList();
        var point = Assert.Single(enqueued);
        Assert.Equal(1, point.Value);
        Assert.Equal(nameof(Ping), point.Tags["job.type"]);
        Assert.Contains(metrics, m => m.Name == "inproc.job.duration" && m.Unit == "s");
    }

    [Fact]
    public async Task ReadmeTable_ListsEveryInstrumentWithItsUnit()
    {
        // With a recurring job, so the recurring instruments are published too.
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<Recurring.PurgeDeletedUsersJob>().AddRecurringJob<Recurring.PurgeDeletedUsersJob>("purge", "0 3 * * *"));
        var meter = host.Services.GetRequiredService<InProcRuntime>().Metrics.Meter;
        var published = new List<(string Name, string Unit)>();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    published.Add((instrument.Name, instrument.Unit ?? string.Empty));
                }
            };
            listener.Start(); // reports the instruments already published, on this thread
        }

        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var section = readme[readme.IndexOf("\n## OpenTelemetry\n", StringComparison.Ordinal)..];
        var documented = InstrumentRow().Matches(section).Select(m => (m.Groups["name"].Value, m.Groups["unit"].Value)).ToList();

        Assert.Equal(published.Order(), documented.Order());
        Assert.Matches(@"\| span \| .* \| `Consumer` \| .* \| `job.id`, `job.attempt`, `queue.name`, `error.type` on failure \|", section);
    }

    private static List<(double Value, Dictionary<string, object?> Tags)> Points(Metric metric)
    {
        var points = new List<(double Value, Dictionary<string, object?> Tags)>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in point.Tags)
            {
                tags[tag.Key] = tag.Value;
            }

            var value = metric.MetricType == MetricType.LongSum ? point.GetSumLong() : metric.MetricType == MetricType.DoubleSum ? point.GetSumDouble() : double.NaN;
            points.Add((value, tags));
        }

        return points;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "InProc.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("InProc.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^\| (?:counter|histogram|gauge) \| `(?<name>inproc\.[a-z_.]+)` \| `(?<unit>[^`]+)` \|", RegexOptions.Multiline)]
    private static partial Regex InstrumentRow();
}
