using InProc.PostgreSql.Store;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace InProc.PostgreSql.Tests;

/// <summary>The group commit of enqueues (<see cref="PgInsertBatcher"/>): one statement per batch, each caller told about its own row.</summary>
public sealed class InsertBatcherTests : IDisposable
{
    private readonly PgTestSchema _schema = new();
    private readonly NpgsqlDataSource _source;

    public InsertBatcherTests()
    {
        _source = NpgsqlDataSource.Create(_schema.ConnectionString);
        PgMigrations.EnsureAsync(_source, _schema.Name, apply: true, CancellationToken.None).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _source.Dispose();
        _schema.Dispose();
    }

    [Fact]
    public async Task ABatch_IsOneStatement_AndEveryCallerCompletesAfterTheCommit()
    {
        var batcher = NewBatcher(_source);
        var batch = new[] { Pending("a"), Pending("b"), Pending("c") };

        await batcher.WriteAsync(batch);

        Assert.Equal(1, batcher.Statements);
        Assert.All(batch, p => Assert.True(p.Done.Task.IsCompletedSuccessfully));
        Assert.Equal(["a", "b", "c"], _schema.Rows().Select(r => r.Id));
        Assert.All(_schema.Rows(), r => Assert.Equal((JobState.Enqueued, 1), (r.State, r.Attempt)));
        batcher.Close(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ARowTheServerRefuses_FailsOnlyItsCaller_TheOthersAreCommitted()
    {
        _schema.Execute("ALTER TABLE {s}.jobs ADD CONSTRAINT no_poison CHECK (id NOT LIKE 'poison%')");
        var batcher = NewBatcher(_source);
        var batch = new[] { Pending("a"), Pending("poison-1"), Pending("c") };

        await batcher.WriteAsync(batch);

        Assert.True(batch[0].Done.Task.IsCompletedSuccessfully);
        Assert.True(batch[2].Done.Task.IsCompletedSuccessfully);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => batch[1].Done.Task);
        Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
        Assert.Equal(["a", "c"], _schema.Rows().Select(r => r.Id));
        Assert.Equal(4, batcher.Statements); // the refused batch, then one statement per row
        batcher.Close(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AnUnreachableServer_FailsEveryCallerOfTheBatch_WithoutRetryingRowByRow()
    {
        await using var away = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Timeout=2;Username=x;Database=x");
        var batcher = NewBatcher(away);
        var batch = new[] { Pending("a"), Pending("b") };

        await batcher.WriteAsync(batch);

        Assert.All(batch, p => Assert.IsAssignableFrom<NpgsqlException>(p.Done.Task.Exception!.InnerException));
        Assert.Equal(1, batcher.Statements);
        batcher.Close(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AfterClose_AnInsertIsRefused_WithAClearError()
    {
        var batcher = NewBatcher(_source);
        await batcher.InsertAsync(Row("before"), CancellationToken.None);
        batcher.Close(TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.InsertAsync(Row("after"), CancellationToken.None));
        Assert.Contains("closed", error.Message, StringComparison.Ordinal);
        Assert.Equal(["before"], _schema.Rows().Select(r => r.Id));
    }

    [Fact]
    public async Task ConcurrentEnqueues_AreEachCommittedWhenTheyReturn_AndRunOnce()
    {
        var probe = new Probe();
        using var host = await _schema.StartHostAsync(probe, b => b.AddJob<WorkJob>(), options: o => o.Queues[0].Workers = 4);
        var queue = host.Services.GetRequiredService<IJobQueue>();

        var ids = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () => await queue.EnqueueAsync(new Work("c" + i)))));

        var stored = _schema.Rows().Select(r => r.Id).ToHashSet();
        Assert.All(ids, id => Assert.Contains(id.ToString(), stored));
        Assert.InRange(PgTestSchema.Store(host).Inserts.Statements, 1, 64);
        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Count(r => r.State == JobState.Succeeded) == 64);
        Assert.Equal(ids.OrderBy(i => i), probe.Runs.Select(r => r.Id).OrderBy(i => i));
        await host.StopAsync();
    }

    private PgInsertBatcher NewBatcher(NpgsqlDataSource source) => new(source, _schema.Name, "inproc_" + _schema.Name, () => false);

    private static PgInsertBatcher.Pending Pending(string id) => new(Row(id), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private static PgInsertRow Row(string id) => new(id, "work", "default", (short)JobState.Enqueued, 1, "{}"u8.ToArray(), TimeSpan.Zero);
}
