using InProc.Sqlite.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InProc.Sqlite.Tests;

/// <summary>
/// A duplicate that arrives while the key's holder is claimed but not committed yet: it waits for the holder's commit.
/// Committed: it is told the holder's id, whose row is then in the file. Refused (disk full, a fault): it is not told
/// "duplicate" of a job that never existed, it claims the key again and becomes a stored job itself.
/// </summary>
public sealed class UniqueCommitTests : IDisposable
{
    private readonly JournalDir _journal = new();

    public void Dispose() => _journal.Dispose();

    [Fact]
    public async Task EnqueueWithResultAsync_HolderCommitFails_DuplicateBecomesAStoredJobItself()
    {
        using var host = await StartAsync();
        var queue = host.Services.GetRequiredService<IJobQueue>();
        var store = JournalDir.Store(host);
        var due = _journal.Time.GetUtcNow().AddHours(1); // scheduled: nothing runs, so nothing releases a key
        var release = new TaskCompletionSource<string?>();
        using var unhold = new Unhold(release); // disposed before the host: a failed assertion must not leave the writer held
        await store.HoldCommits(release.Task);

        var holder = queue.EnqueueWithResultAsync(new Work("order-1"), due).AsTask();
        var holderId = Assert.Single(host.Services.GetRequiredService<IJobMonitor>().GetJobs(new JobQuery()).Items).Id;
        var duplicate = queue.EnqueueWithResultAsync(new Work("order-1"), due).AsTask();
        Assert.False(duplicate.IsCompleted); // the holder is claimed, not stored: the duplicate may not answer yet

        // The holder's insert is refused by the file, as a full disk would refuse it; nothing else is.
        release.SetResult($"CREATE TEMP TRIGGER refuse_holder BEFORE INSERT ON main.jobs WHEN NEW.id = '{holderId}' BEGIN SELECT RAISE(ABORT, 'injected fault'); END");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => holder.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("the job was not stored", error.Message, StringComparison.Ordinal);

        var answer = await duplicate.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(answer.IsDuplicate);
        Assert.NotEqual(holderId, answer.Id);
        Assert.Equal([answer.Id.ToString()], _journal.Rows().Select(r => r.Id));
        Assert.Equal(answer.Id, (await queue.EnqueueWithResultAsync(new Work("order-1"), due)).Id); // it holds the key now
        await host.StopAsync();
    }

    [Fact]
    public async Task TryEnqueue_HolderCommitFails_DuplicateBecomesAStoredJobItself()
    {
        using var host = await StartAsync();
        var queue = host.Services.GetRequiredService<IJobQueue>();
        var store = JournalDir.Store(host);
        var release = new TaskCompletionSource<string?>();
        using var unhold = new Unhold(release); // disposed before the host: a failed assertion must not leave the writer held
        await store.HoldCommits(release.Task);

        var holder = queue.EnqueueAsync(new Work("order-1")).AsTask();
        var holderId = Assert.Single(host.Services.GetRequiredService<IJobMonitor>().GetJobs(new JobQuery()).Items).Id;
        var duplicate = Task.Factory.StartNew(() => (queue.TryEnqueue(new Work("order-1"), out var id), id), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await WaitUntilBlockedAsync(duplicate);

        release.SetResult($"CREATE TEMP TRIGGER refuse_holder BEFORE INSERT ON main.jobs WHEN NEW.id = '{holderId}' BEGIN SELECT RAISE(ABORT, 'injected fault'); END");
        await Assert.ThrowsAsync<InvalidOperationException>(() => holder.WaitAsync(TimeSpan.FromSeconds(20)));

        var (accepted, id) = await duplicate.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(accepted);
        Assert.NotEqual(holderId, id);
        await store.FlushAsync();
        Assert.Contains(_journal.Rows(), r => r.Id == id.ToString());
        Assert.DoesNotContain(_journal.Rows(), r => r.Id == holderId.ToString());
        await host.StopAsync();
    }

    [Fact]
    public async Task EnqueueWithResultAsync_HolderCommitSucceeds_DuplicateToldTheHoldersIdOnlyOnceItsRowIsInTheFile()
    {
        using var host = await StartAsync();
        var queue = host.Services.GetRequiredService<IJobQueue>();
        var store = JournalDir.Store(host);
        var due = _journal.Time.GetUtcNow().AddHours(1);
        var release = new TaskCompletionSource<string?>();
        using var unhold = new Unhold(release); // disposed before the host: a failed assertion must not leave the writer held
        await store.HoldCommits(release.Task);

        var holder = queue.EnqueueWithResultAsync(new Work("order-1"), due).AsTask();
        var duplicate = queue.EnqueueAsync(new Work("order-1")).AsTask(); // not scheduled: EnqueueAsync's own path
        var rowsWhenAnswered = duplicate.ContinueWith(_ => _journal.Rows().Select(r => r.Id).ToList(), TaskScheduler.Default);
        Assert.False(duplicate.IsCompleted);
        Assert.Empty(_journal.Rows());

        release.SetResult(null);
        var first = await holder.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(first.IsDuplicate);
        Assert.Equal(first.Id, await duplicate.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal([first.Id.ToString()], await rowsWhenAnswered);
        await host.StopAsync();
    }

    private sealed class Unhold(TaskCompletionSource<string?> release) : IDisposable
    {
        public void Dispose() => release.TrySetResult(null);
    }

    private Task<IHost> StartAsync() =>
        _journal.StartAsync(b => b.AddJob<WorkJob, Work>(j => j.UniqueBy(m => m.Key)));

    /// <summary>A blocking call is taken as waiting once its thread has made no progress for a while (bounded).</summary>
    private static async Task WaitUntilBlockedAsync(Task call)
    {
        // There is no event for "this thread blocks": give it ample time to answer wrongly, and fail if it did.
        var answered = await Task.WhenAny(call, Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.NotSame(call, answered);
    }
}
