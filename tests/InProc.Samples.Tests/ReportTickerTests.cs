using InProc.Samples.Worker;
using InProc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace InProc.Samples.Tests;

/// <summary>
/// The worker sample's host, built as its Program.cs builds it (its own appsettings.json included), with a manual
/// clock: the timer ticks only when the test advances it, and the real InProc workers run the job.
/// </summary>
public sealed class ReportTickerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ExecuteAsync_IntervalPasses_EnqueuesAReportThatAWorkerWritesOnTheReportsQueue()
    {
        var clock = new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var store = new RecordingReportStore();
        using var host = BuildWorker(clock, store);
        await host.StartAsync().WaitAsync(Patience);
        await clock.WaitForActiveTimersAsync(1, CancellationToken.None).WaitAsync(Patience); // the ticker's PeriodicTimer is armed

        clock.AdvanceStepwise(TimeSpan.FromSeconds(5)); // the interval in the sample's appsettings.json
        var report = await store.First.WaitAsync(Patience);

        Assert.Equal(1, report.Number);
        Assert.Equal(clock.GetUtcNow(), report.RequestedAt);
        var job = host.Services.GetRequiredService<IJobMonitor>().GetJob(report.JobId)!;
        Assert.Equal(("reports", 3), (job.Queue, job.MaxAttempts)); // bound from appsettings.json's "InProc" section
        await host.StopAsync().WaitAsync(Patience);
    }

    [Fact]
    public async Task StopAsync_ReportStillBeingWritten_DrainsItBeforeTheHostStops()
    {
        var clock = new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var store = new RecordingReportStore { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        using var host = BuildWorker(clock, store);
        await host.StartAsync().WaitAsync(Patience);
        await clock.WaitForActiveTimersAsync(1, CancellationToken.None).WaitAsync(Patience);
        clock.AdvanceStepwise(TimeSpan.FromSeconds(5));
        var report = await store.First.WaitAsync(Patience); // the job is running, held by the gate
        var stoppingSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(stoppingSignal.SetResult);

        var stopping = host.StopAsync(); // what Ctrl+C does
        await stoppingSignal.Task.WaitAsync(Patience);
        store.Gate.SetResult(); // the report finishes while the host stops
        await stopping.WaitAsync(Patience);

        Assert.Equal(JobState.Succeeded, host.Services.GetRequiredService<IJobMonitor>().GetJob(report.JobId)!.State); // drained, not abandoned
        Assert.Equal([1], store.Numbers); // and the ticker enqueued nothing more
    }

    private static IHost BuildWorker(TimerAwareFakeTimeProvider clock, IReportStore store)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = SampleDirectory() });
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton(store);
        builder.Services.AddReports(builder.Configuration);
        return builder.Build();
    }

    private static string SampleDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var sample = Path.Combine(dir.FullName, "samples", "InProc.Samples.Worker");
            if (File.Exists(Path.Combine(sample, "appsettings.json")))
            {
                return sample;
            }
        }

        throw new InvalidOperationException("samples/InProc.Samples.Worker not found above " + AppContext.BaseDirectory);
    }

    private sealed class RecordingReportStore : IReportStore
    {
        private readonly TaskCompletionSource<Report> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<int> _numbers = [];

        public Task<Report> First => _first.Task;

        /// <summary>When set, a save waits for it (observing the job's token), so a test can stop the host mid-job.</summary>
        public TaskCompletionSource? Gate { get; init; }

        public int[] Numbers
        {
            get
            {
                lock (_numbers)
                {
                    return [.. _numbers];
                }
            }
        }

        public async Task SaveAsync(Report report, CancellationToken cancellationToken)
        {
            _first.TrySetResult(report);
            if (Gate is not null)
            {
                await Gate.Task.WaitAsync(cancellationToken);
            }

            lock (_numbers)
            {
                _numbers.Add(report.Number);
            }
        }
    }
}
