using InProc.PostgreSql.Store;

namespace InProc.PostgreSql.Tests;

public sealed class StartupTests : IDisposable
{
    private readonly PgTestSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Fact]
    public async Task ASchemaWrittenByANewerVersion_IsRefusedAtStart_WithWhatToDo()
    {
        using (var host = await _schema.StartHostAsync(new Probe(), b => b.AddJob<WorkJob>()))
        {
            await host.StopAsync();
        }

        _schema.Execute($"INSERT INTO {{s}}.schema_version (version) VALUES ({PgMigrations.Latest + 1})");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _schema.StartHostAsync(new Probe(), b => b.AddJob<WorkJob>()));
        Assert.Contains("written by a newer InProc.PostgreSql", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithMigrationsOff_AnEmptySchemaIsRefused_NamingTheScript()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _schema.StartHostAsync(new Probe(), b => b.AddJob<WorkJob>(), o => o.ApplyMigrations = false));
        Assert.Contains("PostgreSqlSchema.Script", error.Message, StringComparison.Ordinal);
        _schema.Execute(PostgreSqlSchema.Script(_schema.Name));
        using var host = await _schema.StartHostAsync(new Probe(), b => b.AddJob<WorkJob>(), o => o.ApplyMigrations = false);
        await host.StopAsync();
    }

    [Fact]
    public async Task BadSettings_AreListedTogether_AndUniqueJobsAreRefusedForNow()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _schema.StartHostAsync(new Probe(),
            b => b.AddJob<WorkJob, Work>(j => j.UniqueBy(m => m.Key)),
            o => { o.LeaseDuration = TimeSpan.FromSeconds(2); o.HeartbeatInterval = TimeSpan.FromSeconds(5); }));
        Assert.Contains("HeartbeatInterval is 00:00:05", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not enforce these across hosts yet", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PostgreSqlSchema.Script("Bad-Name"));
    }
}
