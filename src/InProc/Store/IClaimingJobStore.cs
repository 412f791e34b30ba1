using InProc.Execution;

namespace InProc.Store;

/// <summary>
/// A store shared by many hosts (PostgreSQL): the jobs it holds are not this process's to run until it claims them.
/// The runtime then never queues or schedules an admitted job itself: an add, a re-run or a "run now" only wakes the
/// store's claimer, and due times live in the store. The claimer takes due jobs under a lease for the free slots of
/// this host's queues and hands each claimed envelope (state Enqueued here, attempt as stored) to
/// <see cref="IClaimSink.Dispatch"/>; the workers run it as any other. A later transition the store refuses (the lease
/// was lost) is a lost compare-and-set: the result is dropped.
/// </summary>
internal interface IClaimingJobStore : IDurableJobStore
{
    /// <summary>Starts claiming into <paramref name="sink"/>; called once, after the workers started.</summary>
    void StartClaiming(IClaimSink sink);

    /// <summary>Something became due in the store from this process (an add, a re-run, a run-now): claim soon.</summary>
    void Wake();

    /// <summary>The stop's first step: claim nothing more. What was claimed and not run is handed back by <see cref="IDurableJobStore.TryLeaveForRestart"/>.</summary>
    void StopClaiming();

    /// <summary>Adds a job inside the caller's open database transaction: it exists if and only if that transaction commits.</summary>
    ValueTask AddInTransactionAsync(Envelope envelope, object transaction, CancellationToken cancellationToken);

    /// <summary>
    /// Until disposed, unique keys this thread claims are claimed inside <paramref name="transaction"/> (the
    /// transactional enqueue's admission): the key exists if and only if that transaction commits.
    /// </summary>
    IDisposable ClaimKeysIn(object transaction);
}

/// <summary>Where a claiming store puts what it claimed: this host's queues.</summary>
internal interface IClaimSink
{
    /// <summary>How many more jobs queue <paramref name="queueIndex"/> can start now (free workers, not counting jobs already handed to it).</summary>
    int FreeSlots(int queueIndex);

    /// <summary>A claimed envelope (state Enqueued) for its queue's workers.</summary>
    void Dispatch(Envelope envelope);
}
