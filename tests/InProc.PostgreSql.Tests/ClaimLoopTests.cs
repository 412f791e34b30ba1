using Microsoft.Extensions.DependencyInjection;

namespace InProc.PostgreSql.Tests;

/// <summary>The claimer's wait between rounds: until the next due row, on the database's clock, and never an error.</summary>
public sealed class ClaimLoopTests : IDisposable
{
    private readonly PgTestSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Fact]
    public async Task AnIdleHost_WakesForAScheduledJobsDueTime_NotItsPoll_AndLogsNoClaimError()
    {
        var probe = new Probe();
        using var host = await _schema.StartHostAsync(probe, b => b.AddJob<WorkJob>(), o => o.PollInterval = TimeSpan.FromSeconds(30));
        var id = await host.Services.GetRequiredService<IJobQueue>().ScheduleAsync(new Work("soon"), TimeSpan.FromMilliseconds(500));

        // Due in half a second; the poll is 30 s away: only the next-due wait can run it within the bound.
        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Any(r => r.Id == id.ToString() && r.State == JobState.Succeeded), seconds: 10);
        Assert.Equal("", string.Join("\n", _schema.Logs.Where(l => l.Contains("PostgreSqlClaimFailed", StringComparison.Ordinal))));
        await host.StopAsync();
    }
}
