using InProc.Execution;
using InProc.Queues;
using InProc.Store;

namespace InProc.Hosting;

/// <summary>A store shared by many hosts (PostgreSQL): admission wakes the claimer instead of queueing, and the transactional enqueue.</summary>
internal sealed partial class InProcRuntime
{
    /// <summary>
    /// Adds a job inside the caller's open database transaction (InProc.PostgreSql's <c>EnqueueAsync(message, transaction)</c>):
    /// it exists, and runs on some host, if and only if that transaction commits.
    /// </summary>
    public async ValueTask<JobId> EnqueueInTransactionAsync<TMessage>(TMessage message, object transaction, CancellationToken cancellationToken)
    {
        if (Store is not IClaimingJobStore claiming)
        {
            throw new InvalidOperationException(
                "An enqueue inside a database transaction needs the PostgreSQL store: call UsePostgreSql(...) on AddInProc's builder, outside synchronous and fake mode.");
        }

        // A unique key is claimed in the caller's transaction, with the row: a rollback frees both. A holder in the store
        // is always committed (or in this same transaction), so there is no pending holder to wait for.
        Envelope? envelope;
        JobId holder;
        using (claiming.ClaimKeysIn(transaction))
        {
            envelope = Prepare(message, _admission.Now(), dueAt: null, out holder, out _);
        }

        if (envelope is null)
        {
            return holder;
        }

        await claiming.AddInTransactionAsync(envelope, transaction, cancellationToken).ConfigureAwait(false);
        return envelope.Id;
    }

    private IJobDispatcher ConnectClaims(IJobStore store, ChannelDispatcher channels)
    {
        if (store is not IClaimingJobStore claiming)
        {
            return channels;
        }

        _scheduler.StoreKeepsDueJobs = true;
        return new ClaimDispatcher(claiming, channels);
    }
}
