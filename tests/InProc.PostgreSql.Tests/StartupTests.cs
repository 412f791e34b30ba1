using Microsoft.Extensions.DependencyInjection;
using InProc.PostgreSql.Store;

namespace InProc.PostgreSql.Tests;

public sealed class StartupTests : IDisposable
{
    private readonly PgTestSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Fact]
    public async Task HostsStartingTogether_OnASchemaNoneHasCreated_AllMigrateIt_Once()
    {
        // Eight hosts at once on a new schema: CREATE SCHEMA IF NOT EXISTS is not safe against itself, so the migration
        // lock must come first (found by the eight-process unique race, whose hosts all start together).
        await using var source = Npgsql.NpgsqlDataSource.Create(_schema.ConnectionString);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => PgMigrations.EnsureAsync(source, _schema.Name, apply: true, CancellationToken.None))));

        Assert.Equal(PgMigrations.Latest, _schema.Count("SELECT count(*) FROM {s}.schema_version"));
    }

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
    public async Task BadSettings_AreListedTogether_AndRateLimitsAndDebounceAreRefusedForNow()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _schema.StartHostAsync(new Probe(),
            b => b.AddJob<WorkJob, Work>(j => j.UniqueBy(m => m.Key, u => u.ReplaceScheduled = true).ConcurrencyLimit(m => m.Key, 2).RateLimit(10)),
            o => { o.LeaseDuration = TimeSpan.FromSeconds(2); o.HeartbeatInterval = TimeSpan.FromSeconds(5); }));
        Assert.Contains("HeartbeatInterval is 00:00:05", error.Message, StringComparison.Ordinal);
        Assert.Contains("has a RateLimit; the PostgreSQL store does not enforce rate limits across hosts yet", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReplaceScheduled (debounce)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("does not enforce these across hosts", error.Message, StringComparison.Ordinal); // unique keys and concurrency limits are enforced now
        Assert.Throws<ArgumentException>(() => PostgreSqlSchema.Script("Bad-Name"));
    }

    [Fact]
    public async Task UniqueKeysAndConcurrencyLimits_AreAccepted()
    {
        using var host = await _schema.StartHostAsync(new Probe(), b => b.AddJob<WorkJob, Work>(j => j.UniqueBy(m => m.Key).ConcurrencyLimit(m => m.Key, 2)));
        var queue = host.Services.GetRequiredService<IJobQueue>();
        var id = await queue.EnqueueAsync(new Work("a"));
        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Any(r => r.Id == id.ToString() && r.State == JobState.Succeeded));
        await host.StopAsync();
    }
}
