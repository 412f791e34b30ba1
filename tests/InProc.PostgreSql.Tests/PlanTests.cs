using InProc.PostgreSql.Store;
using Npgsql;

namespace InProc.PostgreSql.Tests;

/// <summary>Plans of the statements a drain runs per batch, as a prepared statement keeps them (a generic plan).</summary>
public sealed class PlanTests : IDisposable
{
    private readonly PgTestSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Theory]
    [InlineData(2_000)]
    [InlineData(20_000)]
    public async Task TheResultWrite_FindsRowsByKey_InAGenericPlanMadeWhileNoRowWasRunning(int rows)
    {
        var plan = await GenericPlanAsync(rows, new PgSql(_schema.Name).Complete,
            "ARRAY['000000000001'], ARRAY[1], ARRAY[3]::smallint[], ARRAY[1], ARRAY[-1]::bigint[], ARRAY[NULL]::text[], ARRAY[NULL]::text[], ARRAY[NULL]::text[], ARRAY[NULL]::text[], 'host', ARRAY[NULL]::float8[], ARRAY[NULL]::text[]"); // $11, $12: progress

        Assert.Contains("Index Scan using jobs_pkey", plan, StringComparison.Ordinal); // not the state index, not a scan of the table
        Assert.DoesNotContain("Seq Scan on jobs", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("jobs_state", plan, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2_000)]
    [InlineData(20_000)]
    public async Task TheClaim_UpdatesRowsByKey_InAGenericPlan(int rows)
    {
        var plan = await GenericPlanAsync(rows, new PgSql(_schema.Name).Claim, "'default', ARRAY['work'], 20, 'host', interval '30 seconds'");

        Assert.Contains("Index Scan using jobs_pkey", plan, StringComparison.Ordinal);
        Assert.Contains("Index Scan using jobs_due", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan on jobs", plan, StringComparison.Ordinal);
    }

    /// <summary>The plan of <paramref name="sql"/> prepared and forced generic, on a table of <paramref name="rows"/> Enqueued rows with fresh statistics.</summary>
    private async Task<string> GenericPlanAsync(int rows, string sql, string arguments)
    {
        await using var source = NpgsqlDataSource.Create(_schema.ConnectionString);
        await PgMigrations.EnsureAsync(source, _schema.Name, apply: true, CancellationToken.None);
        _schema.Execute($$"""
            INSERT INTO {s}.jobs (id, type, queue, state, attempt, payload, created_at, due_at)
            SELECT lpad(g::text, 12, '0'), 'work', 'default', 1, 1, '\x7b7d'::bytea, now(), now() FROM generate_series(1, {{rows}}) g;
            ANALYZE {s}.jobs
            """);

        await using var connection = await source.OpenConnectionAsync();
        await using (var prepare = new NpgsqlCommand($"SET plan_cache_mode = force_generic_plan; PREPARE statement AS {sql}", connection))
        {
            await prepare.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand($"EXPLAIN EXECUTE statement({arguments})", connection);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        return string.Join('\n', plan);
    }
}
