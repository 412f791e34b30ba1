using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace InProc.PostgreSql.Tests;

/// <summary>The claim loop between claims: how long it waits, on the database's clock, for the next due job.</summary>
public sealed class ClaimLoopTests : IDisposable
{
    private readonly PgTestSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Fact]
    public async Task AJobScheduledSoonerThanThePoll_RunsWhenDue_NotAtTheNextPoll()
    {
        var probe = new Probe();
        using var host = await _schema.StartHostAsync(probe, b => b.AddJob<WorkJob>(), o => o.PollInterval = TimeSpan.FromSeconds(10));
        var id = await host.Services.GetRequiredService<IJobQueue>().ScheduleAsync(new Work("soon"), TimeSpan.FromMilliseconds(300));

        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Any(r => r.Id == id.ToString() && r.State == JobState.Succeeded));
        var late = Late(id);
        Assert.True(late < TimeSpan.FromSeconds(5), $"due 300 ms after its enqueue, it started {late.TotalMilliseconds:F0} ms late: the loop waited for its 10 s poll");
        Assert.DoesNotContain(_schema.Logs, l => l.Contains("PostgreSqlClaimFailed", StringComparison.Ordinal));
        await host.StopAsync();
    }

    /// <summary>How long after its due time the job started, both on the database's clock.</summary>
    private TimeSpan Late(JobId id)
    {
        using var connection = new NpgsqlConnection(_schema.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"SELECT started_at - due_at FROM {_schema.Name}.jobs WHERE id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id.ToString() });
        return (TimeSpan)command.ExecuteScalar()!;
    }
}
