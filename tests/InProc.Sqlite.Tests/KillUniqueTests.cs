using InProc.Sqlite.Tests.Support;

namespace InProc.Sqlite.Tests;

/// <summary>
/// kill -9 with unique jobs: a child enqueues unique jobs over few keys from eight callers (so most answers are
/// duplicates, many of a holder whose commit is still on its way) and writes every answer it got; it is killed at a
/// random moment and restarted to drain. Every acknowledged answer, new or duplicate, must name a job that was stored
/// and ran to success: a duplicate told about a holder whose commit the kill lost would name a job that never existed.
/// </summary>
public sealed class KillUniqueTests
{
    private const int Enqueues = 1_200;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Kill9_UniqueJobsWithDuplicates_EveryAcknowledgedAnswerNamesAJobThatRan(int seed)
    {
        using var dir = new JournalDir();
        var random = new Random(seed);
        using (var child = Child.Unique(dir.Directory, seed, Enqueues))
        {
            await child.WaitReadyAsync();
            await WaitForLinesAsync(dir, random.Next(1, Enqueues / 2));
            child.Kill();
        }

        using (var drain = Child.Drain(dir.Directory))
        {
            await drain.WaitDrainedAsync();
        }

        var answers = ReadLines(dir, "acks").Select(l => l.Split(' ')).ToList();
        var succeeded = ReadLines(dir, "ledger").ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(answers);
        Assert.Contains(answers, a => a[2] == "dup"); // the run exercised duplicates
        var lies = answers.Where(a => !succeeded.Contains(a[1])).Select(a => string.Join(' ', a)).ToList();
        Assert.True(lies.Count == 0, $"seed {seed}: {lies.Count} of {answers.Count} acknowledged answer(s) name a job that never ran, e.g. {string.Join(", ", lies.Take(5))}");
        foreach (var key in answers.Select(a => a[0]).Distinct(StringComparer.Ordinal))
        {
            Assert.Contains(answers, a => a[0] == key && succeeded.Contains(a[1])); // each acknowledged key ran at least once
        }
    }

    private static List<string> ReadLines(JournalDir dir, string name)
    {
        var path = Path.Combine(dir.Directory, name);
        if (!File.Exists(path))
        {
            return [];
        }

        // Only whole lines: a process killed mid-write may leave half a line, which was never acknowledged.
        var text = File.ReadAllText(path);
        return [.. text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static async Task WaitForLinesAsync(JournalDir dir, int count)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (ReadLines(dir, "acks").Count < count)
        {
            await Task.Delay(5, cancel.Token);
        }
    }
}
