using InProc.PostgreSql.Store;
using Npgsql;

namespace InProc.PostgreSql.Tests;

/// <summary>The connection string InProc builds its data source from (<see cref="PostgreSqlOptions.PrepareStatements"/>).</summary>
public sealed class PreparedStatementsTests
{
    private const string Plain = "Host=db;Database=app;Username=app";

    [Fact]
    public void ByDefault_AutomaticPreparationIsTurnedOn()
    {
        var applied = new NpgsqlConnectionStringBuilder(PgPreparedStatements.Apply(Plain, new PostgreSqlOptions()));

        Assert.Equal(PgPreparedStatements.MaxAutoPrepare, applied.MaxAutoPrepare);
        Assert.Equal(2, applied.AutoPrepareMinUsages);
        Assert.Equal(("db", "app", "app"), (applied.Host, applied.Database, applied.Username));
    }

    [Theory]
    [InlineData(Plain + ";Max Auto Prepare=0")]
    [InlineData(Plain + ";Max Auto Prepare=5")]
    [InlineData(Plain + ";MaxAutoPrepare=7")]
    public void AConnectionStringThatSetsIt_IsLeftAsItIs(string connectionString) =>
        Assert.Equal(connectionString, PgPreparedStatements.Apply(connectionString, new PostgreSqlOptions()));

    [Fact]
    public void PrepareStatementsOff_LeavesTheConnectionStringAlone() =>
        Assert.Equal(Plain, PgPreparedStatements.Apply(Plain, new PostgreSqlOptions { PrepareStatements = false }));

    [Fact]
    public async Task AHostWithPreparedStatements_RunsJobsAsBefore()
    {
        using var schema = new PgTestSchema();
        var probe = new Probe();
        using var host = await schema.StartHostAsync(probe, b => b.AddJob<WorkJob>());
        var queue = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IJobQueue>(host.Services);

        for (var i = 0; i < 20; i++)
        {
            await queue.EnqueueAsync(new Work("p" + i)); // one after the other: the same statements again and again, prepared after the second use
        }

        await PgTestSchema.WaitUntilAsync(() => schema.Rows().Count(r => r.State == JobState.Succeeded) == 20);
        Assert.Equal(20, probe.Runs.Count);
        await host.StopAsync();
    }
}
