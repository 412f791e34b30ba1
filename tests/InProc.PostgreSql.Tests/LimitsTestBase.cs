using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace InProc.PostgreSql.Tests;

/// <summary>Hosts of one test on a schema of its own, for the unique-key and concurrency-limit tests (schema v3).</summary>
public abstract class LimitsTestBase : IDisposable
{
    private protected PgTestSchema Schema { get; } = new();

    private protected List<IHost> Hosts { get; } = [];

    private protected List<Probe> Probes { get; } = [];

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        foreach (var probe in Probes)
        {
            probe.Gate.TrySetResult();
        }

        foreach (var host in Hosts)
        {
            host.StopAsync().GetAwaiter().GetResult();
            host.Dispose();
        }

        Schema.Dispose();
    }

    private protected async Task<IJobQueue[]> StartAsync(int count, Action<InProcBuilder> jobs, int? workers = null)
    {
        for (var i = 0; i < count; i++)
        {
            var probe = new Probe();
            Probes.Add(probe);
            Hosts.Add(await Schema.StartHostAsync(probe, jobs, options: o =>
            {
                if (workers is { } n)
                {
                    o.Queues[0].Workers = n;
                }
            }));
        }

        return [.. Hosts.Select(h => h.Services.GetRequiredService<IJobQueue>())];
    }

    private protected void OpenGates() => Probes.ForEach(p => p.Gate.TrySetResult());

    private protected int KeyCount()
    {
        using var connection = new NpgsqlConnection(Schema.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"SELECT count(*) FROM {Schema.Name}.unique_keys", connection);
        return (int)(long)command.ExecuteScalar()!;
    }
}

public sealed record Metered(string Key);

/// <summary>How many metered jobs of each key run at once across every host of a test (one instance shared by their containers).</summary>
internal sealed class ConcurrencyMeter
{
    private readonly ConcurrentDictionary<string, Counter> _keys = new(StringComparer.Ordinal);
    private int _finished;

    public int Finished => Volatile.Read(ref _finished);

    /// <summary>The most jobs of <paramref name="key"/> that ran at once.</summary>
    public int Max(string key) => _keys.TryGetValue(key, out var counter) ? Volatile.Read(ref counter.Max) : 0;

    public async Task RunAsync(string key)
    {
        var counter = _keys.GetOrAdd(key, _ => new Counter());
        var now = Interlocked.Increment(ref counter.Running);
        for (var seen = Volatile.Read(ref counter.Max); now > seen && Interlocked.CompareExchange(ref counter.Max, now, seen) != seen; seen = Volatile.Read(ref counter.Max))
        {
        }

        await Task.Delay(30); // the job's work: long enough for the hosts' claims to overlap it
        Interlocked.Decrement(ref counter.Running);
        Interlocked.Increment(ref _finished);
    }

    private sealed class Counter
    {
        public int Running;
        public int Max;
    }
}

internal sealed class MeteredJob(ConcurrencyMeter meter, Probe probe) : IJob<Metered>
{
    public Task RunAsync(Metered message, JobContext context)
    {
        probe.Runs.Enqueue((context.Id, message.Key, context.Attempt, context.IsRecovery));
        return meter.RunAsync(message.Key);
    }
}
