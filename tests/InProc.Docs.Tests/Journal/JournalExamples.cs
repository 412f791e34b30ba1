using InProc;
using InProc.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace MyApp.Journal;

[JobMessageName("billing.charge-card")]
public sealed record ChargeCard(Guid OrderId, decimal Amount);

public sealed class ChargeCardJob(Payments payments) : IJob<ChargeCard>
{
    public async Task RunAsync(ChargeCard message, JobContext context)
    {
        // At-least-once: after a crash this attempt may repeat one that already charged. The key makes that harmless.
        await payments.ChargeAsync(message.OrderId, message.Amount, idempotencyKey: context.Id.ToString(), context.CancellationToken);
    }
}

/// <summary>A payment provider that dedupes on the idempotency key, as real ones do.</summary>
public sealed class Payments
{
    private readonly HashSet<string> _keys = [];
    private readonly TaskCompletionSource _charged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Charged => _charged.Task;

    public Task ChargeAsync(Guid orderId, decimal amount, string idempotencyKey, CancellationToken cancellationToken)
    {
        lock (_keys)
        {
            _keys.Add(idempotencyKey);
        }

        _charged.TrySetResult();
        return Task.CompletedTask;
    }
}

/// <summary>The README's "Durable jobs (SQLite journal)" snippets, compiled and run: a job enqueued before a stop runs after the restart.</summary>
public sealed class JournalExamples : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("inproc-docs-journal").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task JobEnqueuedBeforeTheProcessEnds_RunsAfterTheRestart()
    {
        var path = Path.Combine(_directory, "jobs.db");
        using (var first = Build(path))
        {
            // Never started, so no worker takes it: the process ends with the job only in the journal.
            await first.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new ChargeCard(Guid.NewGuid(), 12.50m));
        }

        using var second = Build(path);
        await second.StartAsync(); // recovery: the job is queued again before the workers start
        await second.Services.GetRequiredService<Payments>().Charged.WaitAsync(TimeSpan.FromSeconds(20));
        await second.StopAsync();
    }

    private static IHost Build(string path)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<Payments>();

        builder.Services.AddInProc()
            .AddJob<ChargeCardJob>()
            .UseSqliteJournal(path, o => o.Synchronous = SqliteSynchronous.Full); // Full is the default

        return builder.Build();
    }
}
