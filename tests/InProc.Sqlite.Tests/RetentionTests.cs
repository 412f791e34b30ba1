using InProc.Sqlite.Tests.Support;
using InProc.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InProc.Sqlite.Tests;

public sealed class RetentionTests : IDisposable
{
    private readonly JournalDir _journal = new();

    public void Dispose() => _journal.Dispose();

    [Fact]
    public async Task FinishedRows_ArePrunedInBoundedBatches_ByCountThenByAge()
    {
        using var host = await _journal.StartAsync(
            b => b.AddJob<WorkJob>(),
            o => { o.FinishedJobRetention = 5; o.FinishedJobRetentionPeriod = TimeSpan.FromMinutes(30); },
            j => j.PruneBatchSize = 4);
        var queue = host.Services.GetRequiredService<IJobQueue>();
        var probe = host.Services.GetRequiredService<Probe>();
        for (var i = 0; i < 20; i++)
        {
            await queue.EnqueueAsync(new Work("w" + i));
        }

        await RecoveryTests.WaitUntilAsync(() => probe.Runs.Count == 20);
        var store = JournalDir.Store(host);
        await RecoveryTests.WaitUntilAsync(() => host.Services.GetRequiredService<IJobMonitor>().GetJobs(new JobQuery { State = JobState.Succeeded }).TotalCount == 5);
        await store.FlushAsync();
        Assert.Equal(20, _journal.Rows().Count);

        // One prune tick deletes at most one batch (4) beyond the newest 5.
        _journal.Time.Advance(SqliteConstants.PruneInterval);
        await store.FlushAsync();
        Assert.Equal(16, _journal.Rows().Count);
        for (var tick = 0; tick < 3; tick++)
        {
            _journal.Time.Advance(SqliteConstants.PruneInterval);
            await store.FlushAsync();
        }

        Assert.Equal(5, _journal.Rows().Count);

        // Past the retention period (many ticks pass), the last five go too.
        _journal.Time.Advance(TimeSpan.FromMinutes(31));
        await store.FlushAsync();
        Assert.Empty(_journal.Rows());
        await host.StopAsync();
    }

    [Fact]
    public async Task PurgeDeadLetters_IsJournaled()
    {
        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>(j => j.Retry = RetryPolicy.None)))
        {
            var probe = host.Services.GetRequiredService<Probe>();
            probe.Fail = true;
            _ = await host.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Work("dead"));
            var monitor = host.Services.GetRequiredService<IJobMonitor>();

            // Purged as soon as it is listed, possibly before its Failed write (the next test pins that moment down).
            await RecoveryTests.WaitUntilAsync(() => monitor.GetDeadLetters().Count == 1);
            Assert.Equal(1, monitor.PurgeDeadLetters());
            await host.StopAsync();
        }

        Assert.Empty(_journal.Rows());
        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>()))
        {
            Assert.Empty(host.Services.GetRequiredService<IJobMonitor>().GetDeadLetters());
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task PurgeBetweenADeadLettersListingAndItsFailedWrite_DoesNotBringItBackAfterARestart()
    {
        // The lifecycle lists a dead letter, then moves its job to Failed; the Failed write is journaled after that. A
        // purge landing in between (made deterministic here, on a job held Running) must still delete the row for good.
        using (var host = await _journal.StartAsync(b => b.AddJob<BlockingJob>()))
        {
            var probe = host.Services.GetRequiredService<Probe>();
            var id = await host.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Blocking("held"));
            Assert.Equal(id, await probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(20)));
            var store = JournalDir.Store(host);
            var envelope = store.FindActive(id)!;
            var error = new InvalidOperationException("boom");
            store.AddDeadLetter(envelope, new DeadLetter(id, envelope.Message!, envelope.Registration.QueueName, 1, error, envelope.CreatedAt, _journal.Time.GetUtcNow()));

            Assert.Equal(1, host.Services.GetRequiredService<IJobMonitor>().PurgeDeadLetters());
            await store.FlushAsync(); // the purge commits first
            Assert.True(await store.TransitionAsync(envelope, new JobTransition(JobState.Running, 1, JobState.Failed, 1)));
            await store.FlushAsync();

            Assert.Empty(_journal.Rows());
            probe.Gate.TrySetResult(); // the attempt ends; its Succeeded write finds the job Failed and is dropped
            await host.StopAsync();
        }

        Assert.Empty(_journal.Rows());
        using (var host = await _journal.StartAsync(b => b.AddJob<BlockingJob>()))
        {
            Assert.Empty(host.Services.GetRequiredService<IJobMonitor>().GetDeadLetters());
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task RecurringSlot_ClaimedBeforeARestart_StaysClaimed()
    {
        var slot = _journal.Time.GetUtcNow();
        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>()))
        {
            var state = JournalDir.Store(host).RecurringState;
            Assert.True(await state.TryClaimSlotAsync("nightly", slot));
            Assert.False(await state.TryClaimSlotAsync("nightly", slot));
            await host.StopAsync();
        }

        using (var host = await _journal.StartAsync(b => b.AddJob<WorkJob>()))
        {
            var state = JournalDir.Store(host).RecurringState;
            Assert.Equal(slot, await state.GetLastSlotAsync("nightly"));
            Assert.False(await state.TryClaimSlotAsync("nightly", slot)); // no double run after the restart
            Assert.False(await state.TryClaimSlotAsync("nightly", slot.AddMinutes(-1)));
            Assert.True(await state.TryClaimSlotAsync("nightly", slot.AddMinutes(1)));
            Assert.Null(await state.GetLastSlotAsync("other"));
            await host.StopAsync();
        }
    }
}
