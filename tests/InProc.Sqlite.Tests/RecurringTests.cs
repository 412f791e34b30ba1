using InProc.Sqlite.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InProc.Sqlite.Tests;

public sealed class RecurringTests : IDisposable
{
    private readonly JournalDir _journal = new();

    public void Dispose() => _journal.Dispose();

    [Fact]
    public async Task Restart_AfterMissedSlots_RunsTheLatestOnceAndNeverTheLastCompletedAgain()
    {
        // 12:00 on the fake clock; every five minutes; the default misfire policy (RunOnce).
        static void Jobs(InProcBuilder b) => b.AddJob<WorkJob>().AddRecurringJob<WorkJob, Work>("tick", "*/5 * * * *", slot => new Work("tick " + slot.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)));

        using (var host = await _journal.StartAsync(Jobs))
        {
            _journal.Time.Advance(TimeSpan.FromMinutes(5));
            await host.Services.GetRequiredService<Probe>().WaitForRunAsync("tick 12:05");
            await host.StopAsync();
        }

        _journal.Time.Advance(TimeSpan.FromMinutes(12)); // down over 12:10 and 12:15; back at 12:17
        using (var host = await _journal.StartAsync(Jobs))
        {
            var probe = host.Services.GetRequiredService<Probe>();
            await probe.WaitForRunAsync("tick 12:15"); // the last completed slot (12:05) was kept: the miss is seen and run once
            var monitor = host.Services.GetRequiredService<IJobMonitor>();
            await RecoveryTests.WaitUntilAsync(() => monitor.GetJobs(new JobQuery { State = JobState.Enqueued }).TotalCount == 0 && monitor.GetJobs(new JobQuery { State = JobState.Running }).TotalCount == 0);
            Assert.Equal(["tick 12:15"], probe.Runs.Select(r => r.Key));
            await host.StopAsync();
        }
    }
}
