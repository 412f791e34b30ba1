using Microsoft.Extensions.DependencyInjection;
using InProc.PostgreSql.Store;
using Npgsql;

namespace InProc.PostgreSql.Tests;

/// <summary>Unique keys held across hosts by the table (schema v3), on the real server.</summary>
public sealed class UniqueKeyTests : LimitsTestBase
{
    [Fact]
    public async Task AUniqueKey_HoldsAcrossThreeHosts_UntilItsJobFinishes()
    {
        var queues = await StartAsync(3, b => b.AddJob<HeldJob, Held>(j => j.UniqueBy(m => m.Key)));
        var holder = await queues[0].EnqueueAsync(new Held("k"));
        Assert.Equal(holder, await queues[1].EnqueueAsync(new Held("k")));
        Assert.Equal(holder, await queues[2].EnqueueAsync(new Held("k")));
        Assert.NotEqual(holder, await queues[2].EnqueueAsync(new Held("other"))); // another key is another job
        Assert.Equal(2, Schema.Rows().Count);

        OpenGates();
        await PgTestSchema.WaitUntilAsync(() => Schema.Rows().Any(r => r.Id == holder.ToString() && r.State == JobState.Succeeded));
        // Due in an hour: the gates are open now, so a job due at once could finish (and free the key) before the duplicate.
        var next = await queues[1].ScheduleAsync(new Held("k"), TimeSpan.FromHours(1));
        Assert.NotEqual(holder, next);
        Assert.Equal(next, await queues[0].EnqueueAsync(new Held("k")));
        Assert.Equal(3, Schema.Rows().Count);
    }

    [Fact]
    public async Task EightHosts_RacingOnOneKey_StoreOneRow_AndAreAllToldItsId()
    {
        var queues = await StartAsync(8, b => b.AddJob<HeldJob, Held>(j => j.UniqueBy(m => m.Key)));
        const int Rounds = 10;
        const int RacersPerHost = 6; // more blocked callers than the thread pool has threads at first
        for (var round = 0; round < Rounds; round++)
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var key = "race-" + round;
            var racers = queues.SelectMany(q => Enumerable.Repeat(q, RacersPerHost)).Select(q => Task.Run(async () =>
            {
                await start.Task;
                return await q.EnqueueAsync(new Held(key));
            })).ToArray();
            start.SetResult();
            var ids = await Task.WhenAll(racers).WaitAsync(TimeSpan.FromSeconds(10)); // ~0.1 s; blocked claims starving the pool took 20 s
            Assert.Single(ids.Distinct());
            Assert.Equal(round + 1, Schema.Rows().Count);
            Assert.Contains(Schema.Rows(), r => r.Id == ids[0].ToString()); // the id every caller got is a stored job
        }

        Assert.Equal(Rounds, KeyCount());
    }

    [Fact]
    public async Task UntilStarted_ReleasesTheKeyWhenTheJobStarts()
    {
        var queues = await StartAsync(1, b => b.AddJob<HeldJob, Held>(j => j.UniqueBy(m => m.Key, u => u.Scope = UniqueScope.UntilStarted)), workers: 1);
        var first = await queues[0].EnqueueAsync(new Held("k"));
        await PgTestSchema.WaitUntilAsync(() => Probes[0].Runs.Any(r => r.Id == first));

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
        await PgTestSchema.WaitUntilAsync(() => Schema.Rows().Any(r => r.Id == first.ToString() && r.State == JobState.Succeeded));
        Assert.Equal(first, await queues[1].EnqueueAsync(new Work("w"))); // finished, and still inside its window

        // The window ends on the server's clock: bounded poll until a claim replaces the expired key.
        var next = first;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (next == first)
        {
            await Task.Delay(50, timeout.Token);
            next = await queues[1].EnqueueAsync(new Work("w"));
        }

        Assert.Equal(2, Schema.Rows().Count);
        Assert.Equal(next, await queues[0].EnqueueAsync(new Work("w")));
    }

    [Fact]
    public async Task AVersion1Schema_IsUpgradedToTheLatest_AndItsRowsStillRun()
    {
        Schema.Execute(PgMigrations.Script(Schema.Name, 1));
        Schema.Execute("INSERT INTO {s}.jobs (id, type, queue, state, attempt, payload, created_at) VALUES ('" + new JobId(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 1) + "', '" +
            typeof(Work).FullName + "', 'default', 1, 1, convert_to('{\"Key\":\"v1\"}', 'UTF8'), now())");
        var queues = await StartAsync(1, b => b.AddJob<WorkJob, Work>(j => j.UniqueBy(m => m.Key)));
        await PgTestSchema.WaitUntilAsync(() => Probes[0].Runs.Any(r => r.Key == "v1"));

        var held = await queues[0].ScheduleAsync(new Work("v2"), TimeSpan.FromHours(1));
        Assert.Equal(held, await queues[0].EnqueueAsync(new Work("v2")));
        using var connection = new NpgsqlConnection(Schema.ConnectionString);
        connection.Open();
        using var version = new NpgsqlCommand($"SELECT max(version) FROM {Schema.Name}.schema_version", connection);
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
        Probes.ForEach(p => p.FailUntilAttempt = int.MaxValue);
        var dead = await queues[0].EnqueueAsync(new Work("dead"));
        await PgTestSchema.WaitUntilAsync(() => Schema.Rows().Any(r => r.Id == dead.ToString() && r.State == JobState.Failed));
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
        Probes.AddRange([stuck, rescuer]);
        Action<PostgreSqlOptions> lease = o => { o.LeaseDuration = TimeSpan.FromSeconds(1); o.HeartbeatInterval = TimeSpan.FromMilliseconds(200); };
        Action<InProcBuilder> jobs = b => b.AddJob<HeldJob, Held>(j => j.UniqueBy(m => m.Key));
        Hosts.Add(await Schema.StartHostAsync(stuck, jobs, lease));
        var id = await Hosts[0].Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Held("k"));
        await PgTestSchema.WaitUntilAsync(() => !stuck.Runs.IsEmpty);
        PgTestSchema.Store(Hosts[0]).PauseHeartbeats = true; // frozen: its lease runs out

        Hosts.Add(await Schema.StartHostAsync(rescuer, jobs, lease));
        await PgTestSchema.WaitUntilAsync(() => rescuer.Runs.Any(r => r.Id == id && r.IsRecovery));
        Assert.Equal(id, await Hosts[1].Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Held("k")));
        Assert.Single(Schema.Rows());

        rescuer.Gate.SetResult();
        await PgTestSchema.WaitUntilAsync(() => Schema.Rows().Any(r => r.Id == id.ToString() && r.State == JobState.Succeeded));
        Assert.NotEqual(id, await Hosts[1].Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Held("k")));
    }

    [Fact]
    public async Task ATransactionalEnqueue_HoldsItsKeyOnlyIfItCommits()
    {
        var queues = await StartAsync(2, b => b.AddJob<HeldJob, Held>(j => j.UniqueBy(m => m.Key)));
        await using var connection = new NpgsqlConnection(Schema.ConnectionString);
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
        Assert.Equal([stored.ToString()], Schema.Rows().Select(r => r.Id));

        JobId committed;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            committed = await queues[0].EnqueueAsync(new Held("tx2"), transaction);
            await transaction.CommitAsync();
        }

        Assert.Equal(committed, await queues[1].EnqueueAsync(new Held("tx2")));
        Assert.Equal(2, KeyCount());
    }
}
