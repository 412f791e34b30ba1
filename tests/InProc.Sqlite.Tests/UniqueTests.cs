using InProc.Hosting;
using InProc.Sqlite.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InProc.Sqlite.Tests;

/// <summary>
/// Unique jobs on the journal (issue 13): a key is held by the file, so it survives a restart with its unfinished job,
/// is freed by the job's end before or after it, and never outlives its time-to-live; concurrency slots are not
/// journaled, so a job recovered while it ran takes a slot afresh.
/// </summary>
public sealed class UniqueTests : IDisposable
{
    private static readonly string WorkType = typeof(Work).FullName!;

    private readonly JournalDir _journal = new();

    public void Dispose() => _journal.Dispose();

    private static void Unique(InProcBuilder b, UniqueScope scope = UniqueScope.UntilFinished, TimeSpan? ttl = null) =>
        b.AddJob<WorkJob, Work>(j => j.UniqueBy(m => m.Key, u =>
        {
            u.Scope = scope;
            u.TimeToLive = ttl ?? TimeSpan.FromHours(24);
        }));

    [Fact]
    public async Task Restart_DuplicateOfAnUnfinishedJob_IsToldTheExistingJobsId()
    {
        EnqueueResult first;
        using (var host = await _journal.StartAsync(b => Unique(b)))
        {
            first = await Queue(host).EnqueueWithResultAsync(new Work("order-1"), _journal.Time.GetUtcNow().AddHours(1));
            Assert.False(first.IsDuplicate);
            await host.StopAsync();
        }

        Assert.Equal([(WorkType, "order-1", first.Id.ToString())], Keys());

        using (var host = await _journal.StartAsync(b => Unique(b)))
        {
            var again = await Queue(host).EnqueueWithResultAsync(new Work("order-1"));
            var other = await Queue(host).EnqueueWithResultAsync(new Work("order-2"));
            Assert.Equal(new EnqueueResult(first.Id, IsDuplicate: true), again);
            Assert.False(other.IsDuplicate);
            Assert.Equal(2, Runtime(host).UniqueKeys.Count);
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Restart_KeyReleasedBySuccessBeforeIt_IsFree()
    {
        JobId first;
        using (var host = await _journal.StartAsync(b => Unique(b)))
        {
            first = (await Queue(host).EnqueueWithResultAsync(new Work("order-1"))).Id;
            await host.Services.GetRequiredService<Probe>().WaitForRunAsync("order-1");
            await WaitUntilAsync(() => Runtime(host).UniqueKeys.Count == 0);
            await JournalDir.Store(host).FlushAsync();
            Assert.Empty(Keys()); // the release's DELETE is journaled, not only made in memory
            await host.StopAsync();
        }

        using (var host = await _journal.StartAsync(b => Unique(b)))
        {
            var again = await Queue(host).EnqueueWithResultAsync(new Work("order-1"));
            Assert.False(again.IsDuplicate);
            Assert.NotEqual(first, again.Id);
            await host.Services.GetRequiredService<Probe>().WaitForRunAsync("order-1");
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Start_SweepsExpiredKeysAndKeysOfFinishedOrMissingJobs_KeepsAWindowsLiveKey()
    {
        using (var host = await _journal.StartAsync(b =>
        {
            Unique(b, UniqueScope.Window, TimeSpan.FromMinutes(10));
            b.AddJob<BlockingJob, Blocking>(j => j.UniqueBy(m => m.Key, u => u.TimeToLive = TimeSpan.FromMinutes(1)));
        }))
        {
            Assert.False((await Queue(host).EnqueueWithResultAsync(new Work("window"))).IsDuplicate);
            Assert.False((await Queue(host).EnqueueWithResultAsync(new Blocking("short"), _journal.Time.GetUtcNow().AddHours(1))).IsDuplicate);
            await host.Services.GetRequiredService<Probe>().WaitForRunAsync("window");
            await JournalDir.Store(host).FlushAsync();
            Assert.Equal(2, Keys().Count); // a window's key outlives its job
            await host.StopAsync();
        }

        // What a crash between a job's end and its key's DELETE (or a job row pruned or deleted) would leave.
        _journal.Execute($"INSERT INTO unique_keys VALUES ('{WorkType}', 'orphan', '0123456789abcdef0123456789abcdef', 9999999999999999, 0)");
        var key = Keys().Single(k => k.Key == "window");
        _journal.Execute($"INSERT INTO unique_keys VALUES ('{WorkType}', 'finished', '{key.JobId}', 9999999999999999, 0)");
        _journal.Time.Advance(TimeSpan.FromMinutes(2)); // "short" expired (1 min); "window" has 8 minutes left

        using (var host = await _journal.StartAsync(b =>
        {
            Unique(b, UniqueScope.Window, TimeSpan.FromMinutes(10));
            b.AddJob<BlockingJob, Blocking>(j => j.UniqueBy(m => m.Key, u => u.TimeToLive = TimeSpan.FromMinutes(1)));
        }))
        {
            Assert.Equal([(WorkType, "window", key.JobId)], Keys());
            Assert.Contains(_journal.Logs, l => l.StartsWith("307 ", StringComparison.Ordinal) && l.Contains("deleted 3 unique key(s)", StringComparison.Ordinal));
            Assert.Equal(new EnqueueResult(JobId.Parse(key.JobId), true), await Queue(host).EnqueueWithResultAsync(new Work("window")));
            Assert.False((await Queue(host).EnqueueWithResultAsync(new Work("orphan"))).IsDuplicate);
            Assert.False((await Queue(host).EnqueueWithResultAsync(new Work("finished"))).IsDuplicate);
            host.Services.GetRequiredService<Probe>().Gate.SetResult();
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Recovery_JobThatWasRunning_KeepsItsKeyTakesAFreshSlotAndReleasesBothAtItsEnd()
    {
        static void Jobs(InProcBuilder b) => b.AddJob<BlockingJob, Blocking>(j => j.UniqueBy(m => m.Key).ConcurrencyLimit(_ => "tenant", 1));

        JobId crashed;
        using (var host = await _journal.StartAsync(Jobs))
        {
            crashed = (await Queue(host).EnqueueWithResultAsync(new Blocking("a"), _journal.Time.GetUtcNow().AddHours(1))).Id;
            await host.StopAsync();
        }

        _journal.Execute($"UPDATE jobs SET state = 2 WHERE id = '{crashed}'"); // what a kill -9 while it ran leaves

        using (var host = await _journal.StartAsync(Jobs, o => o.AddQueue("default", q => q.Workers = 4)))
        {
            var probe = host.Services.GetRequiredService<Probe>();
            var monitor = host.Services.GetRequiredService<IJobMonitor>();
            var rerun = await probe.WaitForRunAsync("a");
            Assert.Equal((crashed, 2, true), (rerun.Id, rerun.Attempt, rerun.IsRecovery)); // the slot started empty

            Assert.Equal(new EnqueueResult(crashed, true), await Queue(host).EnqueueWithResultAsync(new Blocking("a")));
            var b = await Queue(host).EnqueueWithResultAsync(new Blocking("b"));
            await WaitUntilAsync(() => monitor.GetJob(b.Id)?.WaitingOn == JobWaitReason.ConcurrencyLimit); // "a" holds the one slot

            probe.Gate.SetResult();
            Assert.Equal(b.Id, (await probe.WaitForRunAsync("b")).Id); // "a"'s end handed its slot on
            await WaitUntilAsync(() => monitor.GetJob(crashed)?.State == JobState.Succeeded && Runtime(host).UniqueKeys.Count == 0);
            Assert.False((await Queue(host).EnqueueWithResultAsync(new Blocking("a"))).IsDuplicate);
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Recovery_UnreadableUniqueJob_IsDeadLetteredAndItsKeyReleased()
    {
        JobId id;
        using (var host = await _journal.StartAsync(b => Unique(b)))
        {
            id = (await Queue(host).EnqueueWithResultAsync(new Work("k"), _journal.Time.GetUtcNow().AddHours(1))).Id;
            await host.StopAsync();
        }

        _journal.Execute($"UPDATE jobs SET payload = CAST('not json' AS BLOB) WHERE id = '{id}'");

        using (var host = await _journal.StartAsync(b => Unique(b)))
        {
            Assert.Equal(id, Assert.Single(host.Services.GetRequiredService<IJobMonitor>().GetDeadLetters()).Id);
            Assert.False((await Queue(host).EnqueueWithResultAsync(new Work("k"))).IsDuplicate);
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Start_Version1File_UpgradesInPlace_KeepsItsJobsAndHoldsKeysFromThen()
    {
        JobId old;
        using (var host = await _journal.StartAsync(b => Unique(b)))
        {
            old = await Queue(host).ScheduleAsync(new Work("old"), TimeSpan.FromHours(1));
            await host.StopAsync();
        }

        // Back to what the first release wrote: no unique_keys table, schema version 1.
        _journal.Execute("DROP TABLE unique_keys; DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES (1)");

        using (var host = await _journal.StartAsync(b => Unique(b)))
        {
            Assert.Equal(JobState.Scheduled, host.Services.GetRequiredService<IJobMonitor>().GetJob(old)!.State);
            Assert.Equal(2L, Scalar("SELECT version FROM schema_version"));
            var first = await Queue(host).EnqueueWithResultAsync(new Work("new"), _journal.Time.GetUtcNow().AddHours(1));
            Assert.Equal(new EnqueueResult(first.Id, true), await Queue(host).EnqueueWithResultAsync(new Work("new")));
            await host.StopAsync();
        }

        Assert.Contains(Keys(), k => k.Key == "new");
    }

    [Fact]
    public async Task EightProducers_RaceOnTheSameKeys_ExactlyOneJobPerKey_EveryCallerToldTheTruth_AndAfterARestart()
    {
        const int KeyCount = 1_000;
        const int Producers = 8;
        var results = new EnqueueResult[Producers][];
        using (var host = await _journal.StartAsync(b => Unique(b), fakeTime: true))
        {
            var queue = Queue(host);
            var due = _journal.Time.GetUtcNow().AddHours(1); // scheduled: nothing runs, so nothing releases a key
            using var go = new ManualResetEventSlim();
            var producers = Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
            {
                go.Wait();
                var mine = new EnqueueResult[KeyCount];
                for (var k = 0; k < KeyCount; k++)
                {
                    var key = (k + (p * 131)) % KeyCount; // each producer walks the keys from its own place
                    mine[key] = await queue.EnqueueWithResultAsync(new Work("k" + key), due);
                }

                return mine;
            })).ToArray();
            go.Set();
            for (var p = 0; p < Producers; p++)
            {
                results[p] = await producers[p].WaitAsync(TimeSpan.FromSeconds(120));
            }

            await host.StopAsync();
        }

        var rows = _journal.Rows();
        Assert.Equal(KeyCount, rows.Count);
        var keys = Keys().ToDictionary(k => k.Key, k => k.JobId, StringComparer.Ordinal);
        Assert.Equal(KeyCount, keys.Count);
        for (var k = 0; k < KeyCount; k++)
        {
            var answers = results.Select(r => r[k]).ToList();
            Assert.Single(answers, a => !a.IsDuplicate);
            Assert.All(answers, a => Assert.Equal(keys["k" + k], a.Id.ToString())); // the winner's id, for everyone
        }

        using (var host = await _journal.StartAsync(b => Unique(b)))
        {
            for (var k = 0; k < KeyCount; k += 97)
            {
                Assert.Equal(new EnqueueResult(JobId.Parse(keys["k" + k]), true), await Queue(host).EnqueueWithResultAsync(new Work("k" + k)));
            }

            await host.StopAsync();
        }
    }

    private static IJobQueue Queue(IHost host) => host.Services.GetRequiredService<IJobQueue>();

    private static InProcRuntime Runtime(IHost host) => host.Services.GetRequiredService<InProcRuntime>();

    private List<(string Type, string Key, string JobId)> Keys()
    {
        using var connection = new SqliteConnection($"Data Source={_journal.FilePath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT type, key, job_id FROM unique_keys ORDER BY type, key";
        using var reader = command.ExecuteReader();
        var keys = new List<(string, string, string)>();
        while (reader.Read())
        {
            keys.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return keys;
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_journal.FilePath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(10, cancel.Token);
        }
    }
}
