using InProc.PostgreSql.Store;
using Npgsql;

namespace InProc.PostgreSql.Tests;

/// <summary>Claims and result writes commit without waiting for the WAL flush, that transaction only (<see cref="PgAsyncCommit"/>).</summary>
public sealed class AsyncCommitTests : IDisposable
{
    private readonly PgTestSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Fact]
    public async Task TheStatementRunsWithSynchronousCommitOff_AndThePooledConnectionKeepsItsSetting()
    {
        // One connection in the pool, not reset when it goes back: the second statement runs on the very connection the
        // first one used, and would see a setting that outlived its transaction.
        await using var source = NpgsqlDataSource.Create(_schema.ConnectionString + ";Maximum Pool Size=1;No Reset On Close=true");

        string? during;
        await using (var batch = PgAsyncCommit.Batch(source, "SELECT current_setting('synchronous_commit')"))
        await using (var reader = await PgAsyncCommit.ReadAsync(batch, CancellationToken.None))
        {
            Assert.True(await reader.ReadAsync());
            during = reader.GetString(0);
        }

        await using var after = source.CreateCommand("SELECT current_setting('synchronous_commit')");
        Assert.Equal("off", during);
        Assert.Equal("on", (string?)await after.ExecuteScalarAsync());
    }

    [Fact]
    public async Task AStatementThatChangesRows_IsCommitted()
    {
        _schema.Execute("CREATE SCHEMA {s}; CREATE TABLE {s}.t (id int PRIMARY KEY)");
        await using var source = NpgsqlDataSource.Create(_schema.ConnectionString);

        await using (var batch = PgAsyncCommit.Batch(source, $"INSERT INTO {_schema.Name}.t VALUES ($1), ($2) RETURNING id", 1, 2))
        await using (var reader = await PgAsyncCommit.ReadAsync(batch, CancellationToken.None))
        {
            var ids = new List<int>();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetInt32(0));
            }

            Assert.Equal([1, 2], ids);
        }

        await using var count = source.CreateCommand($"SELECT count(*) FROM {_schema.Name}.t");
        Assert.Equal(2L, (long)(await count.ExecuteScalarAsync())!);
    }
}
