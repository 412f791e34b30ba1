using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using InProc.PostgreSql.Store;
using Npgsql;

namespace InProc.PostgreSql.Tests;

/// <summary>Unique keys and concurrency limits held across hosts by the table (schema v2), on the real server.</summary>
public sealed class LimitsTests : IDisposable
{
    private readonly PgTestSchema _schema = new();
    private readonly List<IHost> _hosts = [];
    private readonly List<Probe> _probes = [];

    public void Dispose()
    {
        foreach (var probe in _probes)
        {
            probe.Gate.TrySetResult();
        }

        foreach (var host in _hosts)
        {
            host.StopAsync().GetAwaiter().GetResult();
            host.Dispose();
        }

        _schema.Dispose();
    }

    [Fact]
    public async Task AUniqueKey_HoldsAcrossThreeHosts_UntilItsJobFinishes()
    {
        var queues = await StartAsync(3, b => b.AddJob<HeldJob, Held>(j => j.UniqueBy(m => m.Key)));
        var holder = await queues[0].EnqueueAsync(new Held("k"));
        Assert.Equal(holder, await queues[1].EnqueueAsync(new Held("k")));
        Assert.Equal(holder, await queues[2].EnqueueAsync(new Held("k")));
        Assert.NotEqual(holder, await queues[2].EnqueueAsync(new Held("other"))); // another key is another job
        Assert.Equal(2, _schema.Rows().Count);

        OpenGates();
        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Any(r => r.Id == holder.ToString() && r.State == JobState.Succeeded));
        var next = await queues[1].EnqueueAsync(new Held("k"));
        Assert.NotEqual(holder, next);
        Assert.Equal(next, await queues[0].EnqueueAsync(new Held("k")));
        Assert.Equal(3, _schema.Rows().Count);
    }

    [Fact]
    public async Task EightHosts_RacingOnOneKey_StoreOneRow_AndAreAllToldItsId()
    {
        var queues = await StartAsync(8, b => b.AddJob<HeldJob, Held>(j => j.UniqueBy(m => m.Key)));
        const int Rounds = 10;
        for (var round = 0; round < Rounds; round++)
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var key = "race-" + round;
            var racers = queues.Select(q => Task.Run(async () =>
            {
                await start.Task;
                return await q.EnqueueAsync(new Held(key));
            })).ToArray();
            start.SetResult();
            var ids = await Task.WhenAll(racers).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Single(ids.Distinct());
            Assert.Equal(round + 1, _schema.Rows().Count);
            Assert.Contains(_schema.Rows(), r => r.Id == ids[0].ToString()); // the id every caller got is a stored job
        }

        Assert.Equal(Rounds, KeyCount());
    }

    [Fact]
    public async Task UntilStarted_ReleasesTheKeyWhenTheJobStarts()
    {
        var queues = await StartAsync(1, b => b.AddJob<HeldJob, Held>(j => j.UniqueBy(m => m.Key, u => u.Scope = UniqueScope.UntilStarted)), workers: 1);
        var first = await queues[0].EnqueueAsync(new Held("k"));
        await PgTestSchema.WaitUntilAsync(() => _probes[0].Runs.Any(r => r.Id == first));

        var second = await queues[0].EnqueueAsync(new Held("k")); // the first runs: its key went with its start
        Assert.NotEqual(first, second);
        Assert.Equal(second, await queues[0].EnqueueAsync(new Held("k"))); // the second waits for the one worker: still held
        Assert.Equal(1, KeyCount());
    }

    [Fact]
    public async Task AWindowKey_OutlivesItsJob_UntilItExpiresOnTheDatabaseClock()
    {
        var queues = await StartAsync(2, b => b.AddJob<WorkJob, Work>(j => j.UniqueBy(m => m.Key, u =>
        {
            u.Scope = UniqueScope.Window;
            u.TimeToLive = TimeSpan.FromSeconds(2);
        })));
        var first = await queues[0].EnqueueAsync(new Work("w"));
        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Any(r => r.Id == first.ToString() && r.State == JobState.Succeeded));
        Assert.Equal(first, await queues[1].EnqueueAsync(new Work("w"))); // finished, and still inside its window

        // The window ends on the server's clock: bounded poll until a claim replaces the expired key.
        var next = first;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (next == first)
        {
            await Task.Delay(50, timeout.Token);
            next = await queues[1].EnqueueAsync(new Work("w"));
        }

        Assert.Equal(2, _schema.Rows().Count);
        Assert.Equal(next, await queues[0].EnqueueAsync(new Work("w")));
    }

    [Fact]
    public async Task AVersion1Schema_IsUpgraded_AndItsRowsStillRun()
    {
        _schema.Execute(PgMigrations.Script(_schema.Name, 1));
        _schema.Execute("INSERT INTO {s}.jobs (id, type, queue, state, attempt, payload, created_at) VALUES ('" + new JobId(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 1) + "', '" +
            typeof(Work).FullName + "', 'default', 1, 1, convert_to('{\"Key\":\"v1\"}', 'UTF8'), now())");
        var queues = await StartAsync(1, b => b.AddJob<WorkJob, Work>(j => j.UniqueBy(m => m.Key)));
        await PgTestSchema.WaitUntilAsync(() => _probes[0].Runs.Any(r => r.Key == "v1"));

        var held = await queues[0].ScheduleAsync(new Work("v2"), TimeSpan.FromHours(1));
        Assert.Equal(held, await queues[0].EnqueueAsync(new Work("v2")));
        using var connection = new NpgsqlConnection(_schema.ConnectionString);
        connection.Open();
        using var version = new NpgsqlCommand($"SELECT max(version) FROM {_schema.Name}.schema_version", connection);
        Assert.Equal(PgMigrations.Latest, (int)version.ExecuteScalar()!);
    }

    [Fact]
    public async Task ADeadLetterAndACancel_ReleaseTheirKeys()
    {
        var queues = await StartAsync(2, b => b.AddJob<WorkJob, Work>(j =>
        {
            j.UniqueBy(m => m.Key);
            j.Retry = RetryPolicy.None;
        }));
        _probes.ForEach(p => p.FailUntilAttempt = int.MaxValue);
        var dead = await queues[0].EnqueueAsync(new Work("dead"));
        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Any(r => r.Id == dead.ToString() && r.State == JobState.Failed));
        Assert.NotEqual(dead, await queues[1].EnqueueAsync(new Work("dead")));

        var scheduled = await queues[0].ScheduleAsync(new Work("later"), TimeSpan.FromHours(1));
        Assert.Equal(scheduled, await queues[1].EnqueueAsync(new Work("later")));
        Assert.True(queues[1].Cancel(scheduled)); // from the other host
        Assert.NotEqual(scheduled, await queues[0].EnqueueAsync(new Work("later")));
    }

    [Fact]
    public async Task AJobTakenOverFromAFrozenHost_KeepsItsKey()
    {
        var stuck = new Probe();
        var rescuer = new Probe();
        _probes.AddRange([stuck, rescuer]);
        Action<PostgreSqlOptions> lease = o => { o.LeaseDuration = TimeSpan.FromSeconds(1); o.HeartbeatInterval = TimeSpan.FromMilliseconds(200); };
        Action<InProcBuilder> jobs = b => b.AddJob<HeldJob, Held>(j => j.UniqueBy(m => m.Key));
        _hosts.Add(await _schema.StartHostAsync(stuck, jobs, lease));
        var id = await _hosts[0].Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Held("k"));
        await PgTestSchema.WaitUntilAsync(() => !stuck.Runs.IsEmpty);
        PgTestSchema.Store(_hosts[0]).PauseHeartbeats = true; // frozen: its lease runs out

        _hosts.Add(await _schema.StartHostAsync(rescuer, jobs, lease));
        await PgTestSchema.WaitUntilAsync(() => rescuer.Runs.Any(r => r.Id == id && r.IsRecovery));
        Assert.Equal(id, await _hosts[1].Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Held("k")));
        Assert.Single(_schema.Rows());

        rescuer.Gate.SetResult();
        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Any(r => r.Id == id.ToString() && r.State == JobState.Succeeded));
        Assert.NotEqual(id, await _hosts[1].Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Held("k")));
    }

    [Fact]
    public async Task ATransactionalEnqueue_HoldsItsKeyOnlyIfItCommits()
    {
        var queues = await StartAsync(2, b => b.AddJob<HeldJob, Held>(j => j.UniqueBy(m => m.Key)));
        await using var connection = new NpgsqlConnection(_schema.ConnectionString);
        await connection.OpenAsync();
        JobId rolledBack;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            rolledBack = await queues[0].EnqueueAsync(new Held("tx"), transaction);
            Assert.Equal(rolledBack, await queues[0].EnqueueAsync(new Held("tx"), transaction)); // its own transaction sees it
            await transaction.RollbackAsync();
        }

        var stored = await queues[1].EnqueueAsync(new Held("tx"));
        Assert.NotEqual(rolledBack, stored);
        Assert.Equal([stored.ToString()], _schema.Rows().Select(r => r.Id));

        JobId committed;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            committed = await queues[0].EnqueueAsync(new Held("tx2"), transaction);
            await transaction.CommitAsync();
        }

        Assert.Equal(committed, await queues[1].EnqueueAsync(new Held("tx2")));
        Assert.Equal(2, KeyCount());
    }

    [Fact]
    public async Task AConcurrencyLimitOfTwo_HoldsAcrossThreeHosts_AndEveryJobFinishes()
    {
        var meter = new ConcurrencyMeter();
        var queues = await StartAsync(3, b =>
        {
            b.Services.AddSingleton(meter);
            b.AddJob<MeteredJob, Metered>(j => j.ConcurrencyLimit(m => m.Key, 2));
        }, workers: 4);
        const int Jobs = 30;
        for (var i = 0; i < Jobs; i++)
        {
            await queues[i % 3].EnqueueAsync(new Metered("shared"));
        }

        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Count(r => r.State == JobState.Succeeded) == Jobs, seconds: 60);
        Assert.Equal(Jobs, meter.Finished);
        Assert.Equal(2, meter.Max); // never more than the limit, and the limit was used
        Assert.True(_probes.Count(p => p.Runs.IsEmpty) < 3);
    }

    [Fact]
    public async Task AConcurrencyKeySelectorThatThrows_FailsTheJobForGood()
    {
        var meter = new ConcurrencyMeter();
        var queues = await StartAsync(2, b =>
        {
            b.Services.AddSingleton(meter);
            b.AddJob<MeteredJob, Metered>(j => j.ConcurrencyLimit(m => m.Key == "bad" ? throw new FormatException("no key") : m.Key, 1));
        });
        var bad = await queues[0].EnqueueAsync(new Metered("bad"));
        var good = await queues[1].EnqueueAsync(new Metered("good"));

        await PgTestSchema.WaitUntilAsync(() => _schema.Rows().Any(r => r.Id == bad.ToString() && r.State == JobState.Failed)
            && _schema.Rows().Any(r => r.Id == good.ToString() && r.State == JobState.Succeeded));
        var detail = _hosts[1].Services.GetRequiredService<IJobMonitor>().GetJobDetail(bad)!;
        Assert.Equal(1, detail.Job.Attempt);
        Assert.Contains("ConcurrencyLimit key selector", detail.Job.Error, StringComparison.Ordinal);
        Assert.Equal(1, meter.Finished); // the good one only
    }

    private async Task<IJobQueue[]> StartAsync(int count, Action<InProcBuilder> jobs, int? workers = null)
    {
        for (var i = 0; i < count; i++)
        {
            var probe = new Probe();
            _probes.Add(probe);
            _hosts.Add(await _schema.StartHostAsync(probe, jobs, options: o =>
            {
                if (workers is { } n)
                {
                    o.Queues[0].Workers = n;
                }
            }));
        }

        return [.. _hosts.Select(h => h.Services.GetRequiredService<IJobQueue>())];
    }

    private void OpenGates() => _probes.ForEach(p => p.Gate.TrySetResult());

    private int KeyCount()
    {
        using var connection = new NpgsqlConnection(_schema.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"SELECT count(*) FROM {_schema.Name}.unique_keys", connection);
        return (int)(long)command.ExecuteScalar()!;
    }
}

public sealed record Metered(string Key);

/// <summary>How many metered jobs run at once across every host of a test (one instance shared by their containers).</summary>
internal sealed class ConcurrencyMeter
{
    private int _running;
    private int _max;
    private int _finished;

    public int Max => Volatile.Read(ref _max);

    public int Finished => Volatile.Read(ref _finished);

    public async Task RunAsync()
    {
        var now = Interlocked.Increment(ref _running);
        for (var seen = Volatile.Read(ref _max); now > seen && Interlocked.CompareExchange(ref _max, now, seen) != seen; seen = Volatile.Read(ref _max))
        {
        }

        await Task.Delay(30); // the job's work: long enough for the hosts' claims to overlap it
        Interlocked.Decrement(ref _running);
        Interlocked.Increment(ref _finished);
    }
}

internal sealed class MeteredJob(ConcurrencyMeter meter, Probe probe) : IJob<Metered>
{
    public Task RunAsync(Metered message, JobContext context)
    {
        probe.Runs.Enqueue((context.Id, message.Key, context.Attempt, context.IsRecovery));
        return meter.RunAsync();
    }
}
