using Npgsql;

namespace InProc.PostgreSql.Host;

/// <summary>
/// The <c>ledger</c> table in the shared schema, the test's evidence: one row per attempt event (start, done, fail),
/// with the job id, attempt, host and the database's clock. Written by the job itself, so it survives a kill -9.
/// </summary>
public sealed class Ledger(NpgsqlDataSource source, string schema, string host)
{
    public async Task RecordAsync(JobContext context, string what)
    {
        await using var command = source.CreateCommand($"INSERT INTO {schema}.ledger (job, attempt, host, event, recovered) VALUES ($1, $2, $3, $4, $5)");
        command.Parameters.Add(new NpgsqlParameter { Value = context.Id.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = context.Attempt });
        command.Parameters.Add(new NpgsqlParameter { Value = host });
        command.Parameters.Add(new NpgsqlParameter { Value = what });
        command.Parameters.Add(new NpgsqlParameter { Value = context.IsRecovery });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }
}

public sealed record LedgerWork(int WorkMs, int FailUntilAttempt);

/// <summary>Records its start, works, records done (or fail, then throws, below <see cref="LedgerWork.FailUntilAttempt"/>).</summary>
public sealed class LedgerJob(Ledger ledger) : IJob<LedgerWork>
{
    public async Task RunAsync(LedgerWork message, JobContext context)
    {
        await ledger.RecordAsync(context, "start");
        await Task.Delay(message.WorkMs, CancellationToken.None); // the work; ignores the token, as a job that outlives its lease would
        if (context.Attempt < message.FailUntilAttempt)
        {
            await ledger.RecordAsync(context, "fail");
            throw new InvalidOperationException($"attempt {context.Attempt} fails on purpose");
        }

        await ledger.RecordAsync(context, "done");
    }
}
