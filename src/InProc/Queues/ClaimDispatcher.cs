using InProc.Execution;
using InProc.Store;

namespace InProc.Queues;

/// <summary>
/// The admission side of a claiming store (PostgreSQL): an admitted job is already in the shared store, due, and any
/// host may run it, so admission only wakes this host's claimer; the claimer feeds <see cref="ChannelDispatcher"/>
/// through <see cref="IClaimSink"/>. Queue capacity is the store's: nothing here can be full.
/// </summary>
internal sealed class ClaimDispatcher(IClaimingJobStore store, ChannelDispatcher channels) : IJobDispatcher, IClaimSink
{
    public ValueTask<JobId> EnqueueAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        store.Wake();
        return new ValueTask<JobId>(envelope.Id);
    }

    public bool TryEnqueue(Envelope envelope)
    {
        store.Wake();
        return true;
    }

    public void Dispatch(Envelope envelope) => store.Wake();

    /// <summary>A cancelled job that this host had claimed gives its slot back.</summary>
    public void OnCancelled(Envelope envelope) => channels.OnCancelled(envelope);

    int IClaimSink.FreeSlots(int queueIndex)
    {
        var queue = channels.Queues[queueIndex];
        return Math.Max(0, queue.Workers - queue.Waiting - queue.Running);
    }

    void IClaimSink.Dispatch(Envelope envelope) => channels.Dispatch(envelope);
}
