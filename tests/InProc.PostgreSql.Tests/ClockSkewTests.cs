using InProc.PostgreSql.Tests.Support;

namespace InProc.PostgreSql.Tests;

/// <summary>
/// Hosts whose clocks are wrong: host processes with a TimeProvider 10 minutes ahead and 10 minutes behind share a
/// schema with a host on the right time. Leases, due times and retries run on the database's clock, so a wrong host
/// clock must change nothing: the ledger (written on the database's clock) shows when each attempt ran.
/// </summary>
public sealed class ClockSkewTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(1_500);
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(1_000);
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5); // generous: ten minutes off would be far outside it too
    // A delay counts from the ScheduleAsync call; the row's created_at is its insert's start, later by the message's
    // serialization (a cold process's first takes over 100 ms) and a connection. Ten minutes off would be far outside it.
    private static readonly TimeSpan Early = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task HostsTenMinutesAheadAndBehind_NeitherStealNorLoseLeases_AndDelaysAndRetriesComeDueByTheDatabaseClock()
    {
        using var schema = new PgTestSchema();
        LedgerTable.Create(schema);
        // Each attempt outlasts many heartbeats (a lease set or renewed ten minutes off would be taken over at the next
        // sweep), yet not the lease, with room for a busy machine; the first attempt fails; each job is scheduled ahead.
        string[] settings = ["--lease-ms", "3000", "--heartbeat-ms", "300", "--workers", "2", "--enqueue", "2", "--work-ms", "2000",
            "--delay-ms", ((int)Delay.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--retry-ms", ((int)Retry.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "--fail-until-attempt", "2"];
        using var normal = HostProcess.Start(schema.ConnectionString, schema.Name, "normal", settings);
        using var ahead = HostProcess.Start(schema.ConnectionString, schema.Name, "ahead", [.. settings, "--clock-offset-s", "600"]);
        using var behind = HostProcess.Start(schema.ConnectionString, schema.Name, "behind", [.. settings, "--clock-offset-s", "-600"]);
        HostProcess[] hosts = [normal, ahead, behind];
        foreach (var host in hosts)
        {
            await host.WaitEnqueuedAsync();
        }

        var acked = hosts.SelectMany(h => h.Acks).ToList();
        Assert.Equal(6, acked.Count);
        await normal.WaitForAsync(() => ProcessFailureTests.AllSucceeded(schema, acked), "every job succeeded");

        var rows = LedgerTable.Jobs(schema).ToDictionary(r => r.Id, StringComparer.Ordinal);
        var ledger = LedgerTable.Read(schema);
        foreach (var id in acked)
        {
            var events = ledger.Where(e => e.Job == id).ToList();
            var starts = events.Where(e => e.Event == "start").OrderBy(e => e.Attempt).ToList();

            // One run per attempt: no lease was taken from a host that held it, none lost by its holder.
            Assert.True(starts.Select(s => s.Attempt).SequenceEqual([1, 2]) && starts.All(s => !s.Recovered),
                $"{id}: expected attempts 1 and 2, each run once; the ledger says {string.Join("; ", events)}");
            Assert.Equal(2, rows[id].Attempt);

            var firstAfter = starts[0].At - rows[id].CreatedAt;
            Assert.True(firstAfter >= Delay - Early && firstAfter <= Delay + Slack,
                $"{id}: scheduled {Delay.TotalMilliseconds} ms ahead, it started {firstAfter.TotalMilliseconds:F0} ms after its enqueue (database clock)");
            var retryAfter = starts[1].At - events.Single(e => e.Event == "fail").At;
            Assert.True(retryAfter >= Retry - Early && retryAfter <= Retry + Slack,
                $"{id}: retried {retryAfter.TotalMilliseconds:F0} ms after its failure; the retry delay is {Retry.TotalMilliseconds} ms (database clock)");
        }

        foreach (var host in hosts)
        {
            Assert.Contains(ledger, e => e.Host == host.Name && e.Event == "start"); // every clock ran jobs, while the others held theirs
            Assert.True(host.Lost.Count == 0 && !host.Said("log 404"), $"{host.Name} lost a result or took a lease over:\n{host.Output}");
        }

        HostProcess.AssertNoStoreFailures(hosts);
    }
}
