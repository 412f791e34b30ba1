namespace InProc.Sqlite.KillHost;

public sealed record LedgerEntry(int WorkMilliseconds);

/// <summary>Appends the job's id to the ledger when it succeeds; a first attempt fails one time in ten (retries are journaled too).</summary>
public sealed class LedgerJob(Ledger ledger) : IJob<LedgerEntry>
{
    public async Task RunAsync(LedgerEntry message, JobContext context)
    {
        await Task.Delay(message.WorkMilliseconds, context.CancellationToken);
        if (context.Attempt == 1 && context.Id.GetHashCode() % 10 == 0)
        {
            throw new InvalidOperationException("a transient failure");
        }

        ledger.Append(context.Id);
    }
}

public sealed record UniqueEntry(string Key, int WorkMilliseconds);

/// <summary>A unique job (by <see cref="UniqueEntry.Key"/>): appends its id to the ledger when it succeeds.</summary>
public sealed class UniqueLedgerJob(Ledger ledger) : IJob<UniqueEntry>
{
    public async Task RunAsync(UniqueEntry message, JobContext context)
    {
        await Task.Delay(message.WorkMilliseconds, context.CancellationToken);
        ledger.Append(context.Id);
    }
}

public sealed class Ledger(string path)
{
    private readonly object _lock = new();
    private readonly StreamWriter _writer = new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite));

    public void Append(JobId id)
    {
        lock (_lock)
        {
            _writer.WriteLine(id.ToString());
            _writer.Flush();
        }
    }
}
