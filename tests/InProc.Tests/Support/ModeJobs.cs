using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace InProc.Tests.Support;

/// <summary>What the mode tests' jobs did, in order, with the thread each entry was written on.</summary>
internal sealed class Journal
{
    private readonly ConcurrentQueue<(string Entry, int Thread)> _entries = new();

    public string[] Entries => [.. _entries.Select(e => e.Entry)];

    public int[] Threads => [.. _entries.Select(e => e.Thread)];

    public void Write(string entry) => _entries.Enqueue((entry, Environment.CurrentManagedThreadId));
}

/// <summary>Writes "parent N start", enqueues <see cref="Child"/> 1..Children, schedules <see cref="Child"/> 100 after <see cref="ScheduleChildAfter"/> (if set), writes "parent N end".</summary>
internal sealed record Parent(int Number, int Children, TimeSpan? ScheduleChildAfter = null);

internal sealed record Child(int Number);

/// <summary>Throws <see cref="BoomException"/> from <see cref="BoomJob.Explode"/>.</summary>
internal sealed record Boom(string Text);

/// <summary>Enqueues another of itself, without end.</summary>
internal sealed record Forever(int Generation);

internal sealed class BoomException(string message) : Exception(message);

internal sealed class ParentJob(IJobQueue jobs, Journal journal) : IJob<Parent>
{
    public async Task RunAsync(Parent message, JobContext context)
    {
        journal.Write($"parent {message.Number} start");
        for (var i = 1; i <= message.Children; i++)
        {
            await jobs.EnqueueAsync(new Child(i), context.CancellationToken);
        }

        if (message.ScheduleChildAfter is { } delay)
        {
            await jobs.ScheduleAsync(new Child(100), delay, context.CancellationToken);
        }

        journal.Write($"parent {message.Number} end");
    }
}

internal sealed class ChildJob(Journal journal) : IJob<Child>
{
    public Task RunAsync(Child message, JobContext context)
    {
        journal.Write($"child {message.Number}");
        return Task.CompletedTask;
    }
}

internal sealed class BoomJob(Journal journal) : IJob<Boom>
{
    public Task RunAsync(Boom message, JobContext context)
    {
        journal.Write($"boom {message.Text}");
        Explode(message.Text);
        return Task.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Explode(string text) => throw new BoomException($"boom: {text}");
}

internal sealed class ForeverJob(IJobQueue jobs) : IJob<Forever>
{
    public async Task RunAsync(Forever message, JobContext context) =>
        await jobs.EnqueueAsync(new Forever(message.Generation + 1), context.CancellationToken);
}
