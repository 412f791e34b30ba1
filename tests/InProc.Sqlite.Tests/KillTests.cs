using InProc.Sqlite.Tests.Support;

namespace InProc.Sqlite.Tests;

/// <summary>
/// kill -9 with real processes: a child enqueues through the public API (writing each id it got back from EnqueueAsync
/// or ScheduleAsync to acks) and its jobs write their id to a ledger on success. The test kills it by PID at a moment the
/// seed picks, restarts it until its journal is drained, and checks that every acknowledged id ran to success.
/// </summary>
public sealed class KillTests
{
    private const int Jobs = 1_500;

    public enum KillPoint
    {
        RightAfterAnAck,
        MidJob,
        DuringGroupCommit,
        DuringRecovery,
    }

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 1; seed <= 24; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Kill9_AtAnyMoment_LosesNoAcknowledgedJob(int seed)
    {
        using var dir = new JournalDir();
        var random = new Random(seed);
        var point = (KillPoint)(seed % 4);
        var recoveryKills = 0;

        using (var child = Child.Enqueue(dir.Directory, seed, Jobs))
        {
            await child.WaitReadyAsync();
            switch (point)
            {
                case KillPoint.RightAfterAnAck:
                    await WaitForLinesAsync(dir, "acks", random.Next(50, Jobs));
                    break;
                case KillPoint.DuringRecovery: // a backlog of most of the jobs for the recovery that is killed next
                    await WaitForLinesAsync(dir, "acks", Jobs - random.Next(0, 100));
                    break;
                case KillPoint.MidJob:
                    await WaitForLinesAsync(dir, "ledger", random.Next(20, Jobs / 2));
                    break;
                case KillPoint.DuringGroupCommit:
                    // Eight callers enqueue without pause and the workers journal their transitions: the writer is
                    // committing nearly all the time, so a random instant falls in or between commits of every size.
                    await WaitForLinesAsync(dir, "acks", 1);
                    await Task.Delay(random.Next(0, 150));
                    break;
            }

            child.Kill();
        }

        if (point == KillPoint.DuringRecovery)
        {
            // Restarted on the backlog and killed as soon as the journal says it is open: recovery reads the backlog back
            // next, and "ready" comes only after it. A kill that still came too late (a fast machine, a small backlog) is
            // retried, a few times at most, so that one kill lands inside the start-up.
            for (var attempt = 0; attempt < 5 && recoveryKills == 0; attempt++)
            {
                using var child = Child.Enqueue(dir.Directory, seed + 1_000 + attempt, Jobs);
                await child.WaitOpenedAsync();
                child.Kill();
                recoveryKills += child.IsReady ? 0 : 1;
            }
        }

        using (var drain = Child.Drain(dir.Directory))
        {
            await drain.WaitDrainedAsync();
        }

        Assert.True(point != KillPoint.DuringRecovery || recoveryKills == 1, $"seed {seed}: five restarts in a row finished their recovery before the kill landed");
        var acknowledged = ReadIds(dir, "acks");
        var succeeded = ReadIds(dir, "ledger").ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(acknowledged);
        var missing = acknowledged.Where(id => !succeeded.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"seed {seed} ({point}): {missing.Count} of {acknowledged.Count} acknowledged job(s) never succeeded, e.g. {string.Join(", ", missing.Take(5))}");
    }

    [Fact]
    public async Task Start_JournalHeldByAnotherProcess_FailsNamingItsPid()
    {
        using var dir = new JournalDir();
        using var child = Child.Enqueue(dir.Directory, 1, 10);
        await child.WaitReadyAsync();

        using var host = dir.Build(b => b.AddJob<WorkJob>());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains(dir.FilePath, error.Message, StringComparison.Ordinal);
        Assert.Contains($"process {child.Pid} ", error.Message, StringComparison.Ordinal);
        child.Kill();

        // The kernel released the lock with the process: this one may open the file now, and finds the child's jobs.
        using var next = await dir.StartAsync(b => b.AddJob<WorkJob>());
        await next.StopAsync();
    }

    private static List<string> ReadIds(JournalDir dir, string name)
    {
        var path = Path.Combine(dir.Directory, name);
        if (!File.Exists(path))
        {
            return [];
        }

        // Only whole lines: a process killed mid-write may leave half an id, which was never acknowledged.
        var text = File.ReadAllText(path);
        var whole = text[..(text.LastIndexOf('\n') + 1)];
        return [.. whole.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static async Task WaitForLinesAsync(JournalDir dir, string name, int count)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (ReadIds(dir, name).Count < count)
        {
            await Task.Delay(5, cancel.Token);
        }
    }
}
