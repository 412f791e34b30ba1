using System.Diagnostics;
using System.Diagnostics.Metrics;
using InProc.Tests.Support;

namespace InProc.Tests.Faults;

/// <summary>
/// Issue 8: meter and activity listeners are user code too. The listeners here are process-wide, so each one
/// throws only for this test's own queue (metrics) or message type (activities): tests in other classes run in
/// parallel and must not see the fault.
/// </summary>
public sealed class TelemetryListenerFaultTests
{
    private const string MeterQueue = "faults-meter-listener";

    [Fact]
    public async Task Meter_MeasurementCallbackThrows_JobsStillSucceedOrFail()
    {
        var throws = 0;
        void Throw(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "queue.name", Value: MeterQueue })
                {
                    Interlocked.Increment(ref throws);
                    throw new InvalidOperationException($"meter listener bug ({instrument.Name})");
                }
            }
        }

        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "InProc")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, _, tags, _) => Throw(i, tags));
        listener.SetMeasurementEventCallback<double>((i, _, tags, _) => Throw(i, tags));
        listener.SetMeasurementEventCallback<int>((i, _, tags, _) => Throw(i, tags));
        listener.Start();
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue(MeterQueue, q => q.Workers = 1),
            b => b.AddJob<PingJob>(j => j.Queue = MeterQueue).AddJob<FlakyJob>(j => { j.Queue = MeterQueue; j.Retry = RetryPolicy.None; }));

        var ok = await host.Jobs.EnqueueAsync(new Ping(1));
        var failing = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 0));

        Assert.Equal(JobState.Succeeded, (await host.WaitForStateAsync(ok, JobState.Succeeded)).State);
        Assert.Equal(JobState.Failed, (await host.WaitForStateAsync(failing, JobState.Failed)).State);
        Assert.Equal(failing, Assert.Single(host.Monitor.GetDeadLetters()).Id);
        await FaultChecks.AssertQueueRunsOnAndStopCompletesAsync(host);
        Assert.True(Volatile.Read(ref throws) > 0, "the listener never threw: the test proves nothing");
    }

    [Fact]
    public async Task Activity_ListenerStartedAndStoppedThrow_JobsStillSucceedOrFail()
    {
        var throws = 0;
        void Throw(Activity activity)
        {
            if (activity.OperationName == nameof(TracedFault))
            {
                Interlocked.Increment(ref throws);
                throw new InvalidOperationException("activity listener bug");
            }
        }

        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "InProc",
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Name == nameof(TracedFault) ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStarted = Throw,
            ActivityStopped = Throw,
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("default", q => q.Workers = 1),
            b => b.AddJob<TracedFaultJob>(j => j.Retry = RetryPolicy.None).AddJob<PingJob>());

        var ok = await host.Jobs.EnqueueAsync(new TracedFault(1, Fail: false));
        var failing = await host.Jobs.EnqueueAsync(new TracedFault(2, Fail: true));

        Assert.Equal(JobState.Succeeded, (await host.WaitForStateAsync(ok, JobState.Succeeded)).State);
        Assert.Equal(JobState.Failed, (await host.WaitForStateAsync(failing, JobState.Failed)).State);
        var letter = Assert.Single(host.Monitor.GetDeadLetters());
        Assert.Equal(failing, letter.Id);
        Assert.Equal(typeof(IOException).FullName, letter.ExceptionType); // the job's failure, not the listener's
        await FaultChecks.AssertQueueRunsOnAndStopCompletesAsync(host);
        Assert.True(Volatile.Read(ref throws) > 0, "the listener never threw: the test proves nothing");
    }

    internal sealed record TracedFault(int Number, bool Fail);

    internal sealed class TracedFaultJob(Probe probe) : IJob<TracedFault>
    {
        public Task RunAsync(TracedFault message, JobContext context)
        {
            probe.Record(message, context);
            return message.Fail ? Task.FromException(new IOException($"traced failure {message.Number}")) : Task.CompletedTask;
        }
    }
}
