using System.Reflection;
using System.Text.RegularExpressions;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InProc.Tests.Diagnostics;

/// <summary>
/// Issue 9: logs an operator can read. A retry is one warning line without the stack, the stack goes with the
/// final failure (and to Debug), times are ISO 8601 with milliseconds, start-up names each queue, Debug marks each
/// attempt, and event ids never move.
/// </summary>
public sealed partial class LogTests
{
    [Fact]
    public async Task Start_EachQueue_IsNamedWithItsWorkersCapacityAndFullModeBeforeTheTotals()
    {
        var logs = new CapturingLoggerProvider("InProc");
        await using var host = await TestHost.StartAsync(
            o => o.AddQueue("mail", q => { q.Workers = 2; q.Capacity = 10_000; q.FullMode = QueueFullMode.Reject; }),
            b => b.AddJob<PingJob>(),
            s => s.AddLogging(l => l.AddProvider(logs)));

        var entries = logs.Entries.ToList();
        var queues = entries.Where(e => e.EventId.Id == 5).ToList();
        Assert.Equal(
            ["InProc queue default: 4 worker(s), capacity 1000, full mode Wait", "InProc queue mail: 2 worker(s), capacity 10000, full mode Reject"],
            queues.Select(e => e.Message));
        Assert.All(queues, e => Assert.Equal(LogLevel.Information, e.Level));
        var started = Assert.Single(entries, e => e.EventId.Id == 1);
        Assert.Equal("InProc started 2 queue(s) with 6 worker(s) in all", started.Message);
        Assert.True(entries.IndexOf(started) > entries.IndexOf(queues[^1]), "the totals come after the queues");
    }

    [Fact]
    public async Task Retry_FailedAttempt_IsOneWarningWithTypeAndMessageAndTheStackAtDebugOnly()
    {
        var logs = new CapturingLoggerProvider("InProc");
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.Fixed(2, TimeSpan.FromSeconds(90))),
            s => s.AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Debug)));
        var failedAt = host.Clock.GetUtcNow();

        var id = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 0));
        await host.WaitForStateAsync(id, JobState.Retrying, 2);

        // The lines follow the state change (a retry is logged once it is decided): wait for the last of them.
        await logs.WaitForAsync(e => e.EventId.Id == 16 && Equals(e.State.GetValueOrDefault("JobId"), id)).WaitAsync(TestHost.Patience);
        var warnings = logs.Entries.Where(e => e.Level >= LogLevel.Warning && Equals(e.State.GetValueOrDefault("JobId"), id)).ToList();
        var retry = Assert.Single(warnings);
        Assert.Equal((11, "JobRetrying"), (retry.EventId.Id, retry.EventId.Name));
        Assert.Null(retry.Exception); // no stack trace in the warning
        var next = (string)retry.State["NextAttemptAt"]!;
        Assert.Matches(IsoMilliseconds(), next);
        Assert.Equal(failedAt.AddSeconds(90), DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(
            $"Job {id} (Flaky) failed on attempt 1 of 2, retrying at {next}: System.IO.IOException: transient failure on attempt 1",
            retry.Message);

        var detail = Assert.Single(logs.Entries, e => e.EventId.Id == 16 && Equals(e.State.GetValueOrDefault("JobId"), id));
        Assert.Equal(LogLevel.Debug, detail.Level);
        Assert.IsType<IOException>(detail.Exception);
        Assert.NotNull(detail.Exception!.StackTrace);
    }

    [Fact]
    public async Task DeadLetter_FinalFailure_IsAnErrorCarryingTheExceptionAndItsStack()
    {
        var logs = new CapturingLoggerProvider("InProc");
        await using var host = await TestHost.StartAsync(
            null,
            b => b.AddJob<FlakyJob>(j => j.Retry = RetryPolicy.None),
            s => s.AddLogging(l => l.AddProvider(logs)));

        var id = await host.Jobs.EnqueueAsync(new Flaky(SucceedOnAttempt: 0));
        await host.WaitForStateAsync(id, JobState.Failed);

        // The line follows the state change: wait for it, then check there is exactly one.
        await logs.WaitForAsync(e => e.EventId.Id == 12 && Equals(e.State.GetValueOrDefault("JobId"), id)).WaitAsync(TestHost.Patience);
        var dead = Assert.Single(logs.Entries, e => e.EventId.Id == 12 && Equals(e.State.GetValueOrDefault("JobId"), id));
        Assert.Equal((LogLevel.Error, "JobDeadLettered"), (dead.Level, dead.EventId.Name));
        Assert.Equal($"Job {id} (Flaky) failed on attempt 1 of 1 and went to the dead letters", dead.Message);
        Assert.IsType<IOException>(dead.Exception);
        Assert.NotNull(dead.Exception!.StackTrace);
        Assert.DoesNotContain(logs.Entries, e => e.EventId.Id == 11 && Equals(e.State.GetValueOrDefault("JobId"), id));
    }

    [Fact]
    public async Task Debug_EachAttempt_HasAStartAndAFinishEvent()
    {
        var logs = new CapturingLoggerProvider("InProc");
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>(), s => s.AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Debug)));

        var id = await host.Jobs.EnqueueAsync(new Ping(1));
        await host.WaitForStateAsync(id, JobState.Succeeded);
        var finished = await logs.WaitForAsync(e => e.EventId.Id == 18 && Equals(e.State.GetValueOrDefault("JobId"), id));

        var starting = Assert.Single(logs.Entries, e => e.EventId.Id == 17 && Equals(e.State.GetValueOrDefault("JobId"), id));
        Assert.Equal((LogLevel.Debug, $"Job {id} (Ping) attempt 1 starting on queue default"), (starting.Level, starting.Message));
        Assert.Equal((LogLevel.Debug, $"Job {id} (Ping) attempt 1 succeeded"), (finished.Level, finished.Message));
    }

    [Fact]
    public async Task Debug_AtTheDefaultInformationLevel_NothingPerAttemptIsWritten()
    {
        var logs = new CapturingLoggerProvider("InProc");
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>(), s => s.AddLogging(l => l.AddProvider(logs)));

        var id = await host.Jobs.EnqueueAsync(new Ping(1));
        await host.WaitForStateAsync(id, JobState.Succeeded);

        Assert.DoesNotContain(logs.Entries, e => Equals(e.State.GetValueOrDefault("JobId"), id));
    }

    [Fact]
    public void EventIds_AreFixedAndUnique()
    {
        var log = typeof(InProcOptions).Assembly.GetType("InProc.Diagnostics.Log", throwOnError: true)!;
        var events = log.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(a => $"{a.EventId} {a.EventName} {a.Level}")
            .ToList();

        // Never renumber or reuse an id: dashboards and alerts filter on them. A new event takes a new number.
        Assert.Equal(events.Count, events.Select(e => e.Split(' ')[0]).Distinct().Count());
        string[] fixedEvents =
            [
                "1 Started Information", "2 Stopping Information", "3 Stopped Information", "4 DrainTimedOut Warning",
                "5 QueueStarted Information", "6 StillRunningAfterGrace Warning", "7 HooksStillRunning Warning",
                "10 JobAbandoned Warning", "11 JobRetrying Warning", "12 JobDeadLettered Error", "13 DeadLetterDropped Warning",
                "14 JobCancelled Information", "15 JobFailedWhileStopping Warning", "16 JobRetryingDetail Debug",
                "17 JobStarting Debug", "18 JobSucceeded Debug", "20 HookFailed Error", "21 WorkerFault Critical",
                "22 ObserverFailed Error", "23 RetryPredicateFailed Error", "24 SchedulerFault Critical",
            ];
        Assert.All(fixedEvents, e => Assert.Contains(e, events));
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex IsoMilliseconds();
}
