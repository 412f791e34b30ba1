using InProc.PostgreSql.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.PostgreSql.Tests;

/// <summary>Results that cannot be written for a while (the database refuses them, or is away longer than the writer's backoff).</summary>
public sealed class CompletionWriterTests : IDisposable
{
    private readonly PgTestSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Fact]
    public async Task AResultRefusedLongerThanTheBackoff_IsStillWrittenOnceTheDatabaseTakesIt_NotLeftLeasedForever()
    {
        var probe = new Probe();
        // Timers 20 times faster: thirty-odd tries of the writer's backoff (100 ms growing to 2 s each) take a few seconds.
        using var host = await _schema.StartHostAsync(probe, b =>
        {
            b.AddJob<WorkJob>();
            b.Services.AddSingleton<TimeProvider>(new FastTime(20));
        });
        _schema.Execute("""
            CREATE FUNCTION {s}.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$;
            CREATE TRIGGER refuse BEFORE UPDATE ON {s}.jobs FOR EACH ROW WHEN (NEW.state = 3) EXECUTE FUNCTION {s}.refuse();
            """);
        var id = await host.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Work("refused"));

        // Past the thirtieth try: a writer that gave up would leave the row Running, its lease renewed by this live host forever.
        await PgTestSchema.WaitUntilAsync(() => _schema.Logs.Any(l => l.Contains("PostgreSqlWriteFailed", StringComparison.Ordinal) && l.Contains("(try 35)", StringComparison.Ordinal)));
        Assert.Equal((JobState.Running, "refused"), (_schema.Rows().Single().State, probe.Runs.Single().Key));
        _schema.Execute("DROP TRIGGER refuse ON {s}.jobs");

        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Any(r => r.Id == id.ToString() && r.State == JobState.Succeeded));
        Assert.Equal((id, 1), probe.Runs.Select(r => (r.Id, r.Attempt)).Single());
        await host.StopAsync();
    }
}
