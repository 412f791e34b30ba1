using InProc.PostgreSql.Tests.Support;

namespace InProc.PostgreSql.Tests;

/// <summary>
/// Eight host processes (tests/InProc.PostgreSql.Host, mode "unique") race the same unique keys, started together by a
/// go file: each key ends as one row, and every caller on every host is told that row's id.
/// </summary>
public sealed class UniqueRaceProcessTests
{
    private const int Hosts = 8;
    private const int Keys = 5;
    private const int CallersPerHost = 4; // UniqueMode's callers

    [Fact]
    public async Task EightHostProcesses_RacingTheSameKeys_StoreOneRowPerKey_AndTellEveryCallerItsId()
    {
        using var schema = new PgTestSchema();
        var go = Path.Combine(Path.GetTempPath(), "inproc-unique-race-" + Guid.NewGuid().ToString("n"));
        var hosts = Enumerable.Range(0, Hosts)
            .Select(i => HostProcess.Start(schema.ConnectionString, schema.Name, "racer" + i, "--mode", "unique", "--enqueue", Keys.ToString(System.Globalization.CultureInfo.InvariantCulture), "--go-file", go))
            .ToList();
        try
        {
            await Task.WhenAll(hosts.Select(h => h.WaitReadyAsync()));
            await File.WriteAllTextAsync(go, "go"); // every host is up: all start their enqueues at once
            await Task.WhenAll(hosts.Select(h => h.WaitEnqueuedAsync()));

            var answers = hosts.SelectMany(h => h.Values("uniq ").Select(line => line.Split(' '))).ToList();
            Assert.Equal(Hosts * CallersPerHost * Keys, answers.Count);
            foreach (var key in answers.GroupBy(a => a[0]))
            {
                Assert.Single(key.Select(a => a[1]).Distinct()); // one id for every caller of the key, on every host
                Assert.Single(key, a => a[2] == "new"); // and exactly one caller created it
            }

            Assert.Equal(Keys, answers.Select(a => a[0]).Distinct().Count());
            Assert.Equal(Keys, schema.Count("SELECT count(*) FROM {s}.jobs"));
            var ids = answers.Select(a => a[1]).Distinct().OrderBy(id => id, StringComparer.Ordinal).ToList();
            Assert.Equal(ids, schema.Rows().Select(r => r.Id).OrderBy(id => id, StringComparer.Ordinal));
            Assert.All(schema.Rows(), r => Assert.Equal(JobState.Scheduled, r.State));
            HostProcess.AssertNoStoreFailures([.. hosts]);
        }
        finally
        {
            foreach (var host in hosts)
            {
                host.Dispose();
            }

            File.Delete(go);
        }
    }
}
