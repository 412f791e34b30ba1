using InProc.PostgreSql.Tests.Support;

namespace InProc.PostgreSql.Tests;

/// <summary>
/// Real host processes (tests/InProc.PostgreSql.Host) sharing one schema: one killed with SIGKILL mid-run, or the
/// server itself restarted under them. Each job writes its attempts' start and done to a ledger table in the same
/// database, so what ran where, how often and when (on the database's clock) is read back after the fact.
/// </summary>
public sealed class ProcessFailureTests
{
    // Short, but with room for a busy CI machine: a live host may miss five heartbeats before its lease expires.
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(500);
    private static readonly string[] Settings = ["--lease-ms", "3000", "--heartbeat-ms", "500", "--work-ms", "50", "--workers", "4"];

    [Fact]
    public async Task Kill9_OneOfThreeHosts_MidRun_TheOthersTakeItsLeasesOver_AndEveryJobSucceeds()
    {
        using var schema = new PgTestSchema();
        LedgerTable.Create(schema);
        using var victim = HostProcess.Start(schema.ConnectionString, schema.Name, "victim", Settings);
        using var survivor = HostProcess.Start(schema.ConnectionString, schema.Name, "survivor", Settings);
        await Task.WhenAll(victim.WaitReadyAsync(), survivor.WaitReadyAsync());
        using var enqueuer = HostProcess.Start(schema.ConnectionString, schema.Name, "enqueuer", [.. Settings, "--enqueue", "300"]);

        await victim.WaitForAsync(() => Running(schema, "victim") >= 2, "two jobs running on the victim");
        victim.Kill();
        var killedAt = LedgerTable.Now(schema);
        var held = LedgerTable.Jobs(schema).Where(r => r.Owner == "victim" && r.State == JobState.Running).ToList();

        await enqueuer.WaitEnqueuedAsync();
        var acked = enqueuer.Acks;
        Assert.Equal(300, acked.Count);
        await survivor.WaitForAsync(() => AllSucceeded(schema, acked), "every acknowledged job succeeded");

        // The victim's leases: taken over by a survivor (attempt + 1, due at the take-over) after the kill, within a lease and a sweep.
        Assert.NotEmpty(held);
        var rows = LedgerTable.Jobs(schema).ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var job in held)
        {
            var row = rows[job.Id];
            Assert.True(row.Attempt > job.Attempt, $"{job.Id}: held by the victim at attempt {job.Attempt}, ended at attempt {row.Attempt}");
            var takenAfter = row.DueAt - killedAt;
            Assert.True(takenAfter > TimeSpan.Zero && takenAfter <= Lease + Heartbeat + TimeSpan.FromSeconds(3),
                $"{job.Id}: taken over {takenAfter.TotalMilliseconds:F0} ms after the kill (lease {Lease}, heartbeat {Heartbeat})");
        }

        // Exactly once, except what the victim had started: at most twice, the second time a recovery by a survivor.
        var ledger = LedgerTable.Read(schema);
        var victimStarted = ledger.Where(e => e.Host == "victim" && e.Event == "start").Select(e => e.Job).ToHashSet(StringComparer.Ordinal);
        var twice = 0;
        foreach (var id in acked)
        {
            var starts = ledger.Where(e => e.Job == id && e.Event == "start").OrderBy(e => e.Attempt).ToList();
            var done = ledger.Count(e => e.Job == id && e.Event == "done");
            if (!victimStarted.Contains(id))
            {
                Assert.True(starts.Count == 1 && done == 1, $"{id}: the victim never ran it, yet it started {starts.Count} and completed {done} time(s)");
                continue;
            }

            Assert.True(starts.Count is 1 or 2 && done is 1 or 2 && done <= starts.Count, $"{id}: the victim ran it; started {starts.Count}, completed {done} time(s)");
            if (starts.Count == 2)
            {
                twice++;
                Assert.True(starts[0].Host == "victim" && starts[1].Host != "victim" && starts[1].Recovered && starts[1].Attempt == starts[0].Attempt + 1,
                    $"{id}: a second run must be a survivor's recovery of the victim's attempt: {string.Join("; ", starts)}");
            }
        }

        Assert.True(twice <= held.Count, $"{twice} job(s) ran twice, but the victim held only {held.Count} lease(s) when it died");
        Assert.DoesNotContain(ledger, e => e.Host == "victim" && e.At > killedAt);
        HostProcess.AssertNoStoreFailures(survivor, enqueuer); // the database never went away: no claim, write or heartbeat failed
    }

    [Fact]
    public async Task RestartingPostgreSql_MidRun_HostsReconnect_LoseNothing_AndALateResultOfALostLeaseIsDropped()
    {
        using var cluster = PrivateCluster.Start(); // never the shared server: the other tests run against it meanwhile
        using var schema = new PgTestSchema(cluster.ConnectionString);
        LedgerTable.Create(schema);
        using var frozen = HostProcess.Start(schema.ConnectionString, schema.Name, "frozen", Settings);
        using var steady = HostProcess.Start(schema.ConnectionString, schema.Name, "steady", Settings);
        await Task.WhenAll(frozen.WaitReadyAsync(), steady.WaitReadyAsync());
        // Eight callers, 20 ms apart each: enqueues go on across the restart (refused ones are tried again, never acknowledged).
        using var enqueuer = HostProcess.Start(schema.ConnectionString, schema.Name, "enqueuer", [.. Settings, "--enqueue", "400", "--pace-ms", "20"]);
        await frozen.WaitForAsync(() => LedgerTable.Read(schema).Count(e => e.Event == "done") >= 60 && Running(schema, "frozen") >= 1, "a run under way");

        // One host stands still (SIGSTOP, nothing of its own in flight) holding leases; the server restarts under all three.
        frozen.Freeze();
        await steady.WaitForAsync(() => LedgerTable.Busy(schema, "frozen") == 0, "the frozen host's last statement done");
        var held = LedgerTable.Jobs(schema).Where(r => r.Owner == "frozen" && r.State == JobState.Running).ToDictionary(r => r.Id, r => r.Attempt, StringComparer.Ordinal);
        Assert.NotEmpty(held);
        cluster.Down();
        cluster.Up();
        await steady.WaitForAsync(() => LedgerTable.Jobs(schema).Where(r => held.ContainsKey(r.Id)).All(r => r.Owner != "frozen"), "the frozen host's leases taken over");
        frozen.Thaw();
        await enqueuer.WaitEnqueuedAsync();
        var acked = enqueuer.Acks;
        Assert.Equal(400, acked.Count);

        await steady.WaitForAsync(() => AllSucceeded(schema, acked), "every acknowledged job succeeded");
        await frozen.WaitForAsync(() => frozen.Lost.Count >= held.Count, "the frozen host's late results, dropped");
        await steady.WaitForAsync(() => LedgerTable.Listeners(schema) == 3, "three hosts LISTENing again");

        // The frozen host's results for the jobs taken from it were refused (event 401), never written over the newer attempt.
        var lost = frozen.Lost.Select(l => l.Split(' ')).ToDictionary(l => l[0], l => int.Parse(l[1], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        Assert.Equal(held.OrderBy(h => h.Key), lost.OrderBy(l => l.Key));
        var rows = LedgerTable.Jobs(schema).ToDictionary(r => r.Id, StringComparer.Ordinal);
        var ledger = LedgerTable.Read(schema);
        foreach (var id in acked)
        {
            var row = rows[id];
            var last = ledger.Where(e => e.Job == id && e.Event == "start").Max(e => e.Attempt);
            Assert.True(row.Attempt == last && ledger.Any(e => e.Job == id && e.Attempt == last && e.Event == "done"),
                $"{id}: the row says attempt {row.Attempt}, the ledger's last attempt is {last}: an older attempt's result was written over a newer one");
        }

        Assert.True(steady.Said("log 405"), "the steady host never noticed it lost its LISTEN connection:\n" + steady.Output);
        Assert.True(frozen.Said("log 405"), "the thawed host never noticed its LISTEN connection was gone:\n" + frozen.Output);
    }

    /// <summary>Attempts the host has started and not finished, by the ledger.</summary>
    internal static int Running(PgTestSchema schema, string host)
    {
        var events = LedgerTable.Read(schema).Where(e => e.Host == host).ToList();
        var ended = events.Where(e => e.Event != "start").Select(e => (e.Job, e.Attempt)).ToHashSet();
        return events.Count(e => e.Event == "start" && !ended.Contains((e.Job, e.Attempt)));
    }

    internal static bool AllSucceeded(PgTestSchema schema, IReadOnlyCollection<string> ids)
    {
        var succeeded = LedgerTable.Jobs(schema).Where(r => r.State == JobState.Succeeded).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        return ids.All(succeeded.Contains);
    }
}
