using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InProc.PostgreSql.Tests;

public sealed class ClaimLoopTests : IDisposable
{
    private readonly PgTestSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Fact]
    public async Task AJobDueBeforeTheNextPoll_RunsAtItsDueTime_FromTheNextDueQuery()
    {
        // Polls an hour apart: only the claim loop's next-due query (which once failed on every call) can wake it in time.
        var probe = new Probe();
        using var host = await _schema.StartHostAsync(probe, b => b.AddJob<WorkJob>(), pg => pg.PollInterval = TimeSpan.FromHours(1));

        var id = await host.Services.GetRequiredService<IJobQueue>().ScheduleAsync(new Work("soon"), TimeSpan.FromMilliseconds(500));

        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Any(r => r.Id == id.ToString() && r.State == JobState.Succeeded));
        Assert.Equal(id, Assert.Single(probe.Runs).Id);
        Assert.DoesNotContain(_schema.Logs, line => line.Contains("PostgreSqlClaimFailed", StringComparison.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task TheFirstEnqueueOfAnInstance_WakesAnIdleHostWithANotify()
    {
        var probe = new Probe();
        using var idle = await _schema.StartHostAsync(probe, b => b.AddJob<WorkJob>(), pg => pg.PollInterval = TimeSpan.FromHours(1));
        await PgTestSchema.WaitUntilAsync(() => _schema.Count($"SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN inproc_{_schema.Name}'") == 1);

        // A second instance that never starts (no claimer of its own): its job reaches the idle host only through the NOTIFY.
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(new Probe());
        builder.Services.AddInProc().AddJob<WorkJob>().UsePostgreSql(_schema.ConnectionString, o => o.Schema = _schema.Name);
        using var producer = builder.Build();
        var id = await producer.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Work("first"));

        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Any(r => r.Id == id.ToString() && r.State == JobState.Succeeded));
        Assert.Equal(id, Assert.Single(probe.Runs).Id);
        await idle.StopAsync();
    }
}
