using InProc.Execution;
using InProc.Store;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Hosting;

/// <summary>
/// The seam an add-on store plugs into (IJobStoreProvider): an add that completes later holds the enqueue until it
/// does, a failed add fails the enqueue and leaves no job, and the memory store is used when no provider is registered.
/// </summary>
public sealed class StoreSeamTests
{
    [Fact]
    public async Task EnqueueAsync_StoreCommitsLater_ReturnsOnlyAfterTheCommit()
    {
        var store = new GatedStore();
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>(), s => s.AddSingleton<IJobStoreProvider>(store));

        var enqueue = host.Jobs.EnqueueAsync(new Ping(1)).AsTask();
        await store.Added.Task.WaitAsync(TestHost.Patience);
        Assert.False(enqueue.IsCompleted); // acknowledged only after the store's commit
        Assert.Empty(host.Probe.Runs); // and not dispatched before it either

        store.Commit.SetResult();
        var id = await enqueue.WaitAsync(TestHost.Patience);
        await host.WaitForStateAsync(id, JobState.Succeeded).WaitAsync(TestHost.Patience);
    }

    [Fact]
    public async Task ScheduleAsync_StoreCommitsLater_SchedulesOnlyAfterTheCommit()
    {
        var store = new GatedStore();
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>(), s => s.AddSingleton<IJobStoreProvider>(store));

        var schedule = host.Jobs.ScheduleAsync(new Ping(1), TimeSpan.FromMinutes(1)).AsTask();
        await store.Added.Task.WaitAsync(TestHost.Patience);
        Assert.False(schedule.IsCompleted);

        store.Commit.SetResult();
        var id = await schedule.WaitAsync(TestHost.Patience);
        Assert.Equal(JobState.Scheduled, host.Monitor.GetJob(id)!.State);
    }

    [Fact]
    public async Task EnqueueAsync_StoreFailsTheAdd_ThrowsAndNoJobRuns()
    {
        var store = new GatedStore();
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>(), s => s.AddSingleton<IJobStoreProvider>(store));

        var enqueue = host.Jobs.EnqueueAsync(new Ping(1)).AsTask();
        await store.Added.Task.WaitAsync(TestHost.Patience);
        store.Commit.SetException(new InvalidOperationException("disk full"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => enqueue);
        Assert.Equal("disk full", error.Message);
        Assert.Empty(host.Probe.Runs);
        Assert.Equal(0, store.Count);
    }

    /// <summary>The memory store, whose adds complete when the test says (a journal's commit), or fail.</summary>
    private sealed class GatedStore : IJobStoreProvider, IJobStore
    {
        private MemoryJobStore _memory = new(10, TimeSpan.FromHours(1), 10);

        public TaskCompletionSource Added { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Commit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count => _memory.Count;

        public IJobStore Create(JobStoreContext context)
        {
            _memory = new MemoryJobStore(context.Options.FinishedJobRetention, context.Options.FinishedJobRetentionPeriod, context.Options.DeadLetterCapacity);
            return this;
        }

        public ValueTask AddAsync(Envelope envelope, CancellationToken cancellationToken)
        {
            _ = _memory.AddAsync(envelope, cancellationToken);
            Added.TrySetResult();
            return new ValueTask(CommitAsync(envelope));
        }

        public void Forget(Envelope envelope) => _memory.Forget(envelope);

        public ValueTask<bool> TransitionAsync(Envelope envelope, JobTransition transition) => _memory.TransitionAsync(envelope, transition);

        public Envelope? FindActive(JobId id) => _memory.FindActive(id);

        public JobSnapshot? Find(JobId id, DateTimeOffset now) => _memory.Find(id, now);

        public JobDetail? FindDetail(JobId id, DateTimeOffset now) => _memory.FindDetail(id, now);

        public JobPage Query(JobQuery query, DateTimeOffset now) => _memory.Query(query, now);

        public DeadLetter? AddDeadLetter(Envelope envelope, DeadLetter letter) => _memory.AddDeadLetter(envelope, letter);

        public Envelope? TakeDeadLetter(JobId id) => _memory.TakeDeadLetter(id);

        public IReadOnlyList<DeadLetter> GetDeadLetters() => _memory.GetDeadLetters();

        public int PurgeDeadLetters() => _memory.PurgeDeadLetters();

        private async Task CommitAsync(Envelope envelope)
        {
            try
            {
                await Commit.Task;
            }
            catch
            {
                _memory.Forget(envelope); // a failed commit leaves nothing behind (the store contract's rule 3)
                throw;
            }
        }
    }
}
