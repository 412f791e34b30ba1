using InProc.Diagnostics;
using InProc.Execution;
using InProc.Lifecycle;
using InProc.Scheduling;
using Microsoft.Extensions.Logging;

namespace InProc.Queues;

/// <summary>
/// The default dispatcher: named bounded queues, each with its own async workers. Admission has stored the job
/// already; this decides where it waits (a slot, a full-mode verdict) and runs it on a worker.
/// </summary>
internal sealed partial class ChannelDispatcher(ChannelQueue[] queues, AttemptRunner runner, RunState state, ILogger logger) : IJobDispatcher, IDueJobSink
{
    private readonly JobLifecycle _lifecycle = runner.Lifecycle;

    public IReadOnlyList<ChannelQueue> Queues => queues;

    public int Waiting => queues.Sum(q => q.Waiting);

    public int Running => queues.Sum(q => q.Running);

    /// <summary>Completes when every worker has stopped (the queues are closed and empty).</summary>
    public Task Completion => Task.WhenAll(queues.SelectMany(q => q.WorkerTasks));

    public void Start()
    {
        foreach (var queue in queues)
        {
            var workers = new Task[queue.Workers];
            for (var i = 0; i < workers.Length; i++)
            {
                var worker = i;
                workers[i] = Task.Run(() => WorkAsync(queue, worker));
            }

            queue.WorkerTasks = workers;
            Log.QueueStarted(logger, queue.Name, queue.Workers, queue.Capacity, queue.FullMode);
        }

        Log.Started(logger, queues.Length, queues.Sum(q => q.Workers));
    }

    /// <summary>Puts an admitted job (state Enqueued) in its queue, honouring the queue's full mode.</summary>
    public ValueTask<JobId> EnqueueAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        var queue = queues[envelope.Registration.QueueIndex];
        if (queue.TryTakeSlot())
        {
            return queue.TryWrite(envelope) ? new ValueTask<JobId>(envelope.Id) : throw Closed(envelope);
        }

        switch (queue.FullMode)
        {
            case QueueFullMode.Reject:
                _lifecycle.Reject(envelope);
                throw new QueueFullException(queue.Name, queue.Capacity);
            case QueueFullMode.DropNewest:
                _lifecycle.TryAbandon(envelope, AbandonReason.QueueFull); // the job being enqueued is the one dropped
                return new ValueTask<JobId>(envelope.Id);
            case QueueFullMode.DropOldest:
                DropOldestAndWrite(queue, envelope);
                return new ValueTask<JobId>(envelope.Id);
            default:
                return WaitForSpaceAsync(queue, envelope, cancellationToken);
        }
    }

    /// <summary>The non-waiting enqueue: false when the queue is full and does not drop its oldest job.</summary>
    public bool TryEnqueue(Envelope envelope)
    {
        var queue = queues[envelope.Registration.QueueIndex];
        if (queue.TryTakeSlot())
        {
            return queue.TryWrite(envelope) ? true : throw Closed(envelope);
        }

        switch (queue.FullMode)
        {
            case QueueFullMode.DropOldest:
                DropOldestAndWrite(queue, envelope);
                return true;
            case QueueFullMode.DropNewest:
                _lifecycle.TryAbandon(envelope, AbandonReason.QueueFull);
                return false;
            default:
                _lifecycle.Reject(envelope);
                return false;
        }
    }

    /// <summary>A job that is Enqueued again (due, or a dead letter's re-run): into a free slot, or it waits for one without a task.</summary>
    public void Dispatch(Envelope envelope)
    {
        var queue = queues[envelope.Registration.QueueIndex];
        if (state.IsStopping)
        {
            _lifecycle.TryAbandon(envelope, AbandonReason.Shutdown);
            return;
        }

        // Behind due jobs already waiting for a slot, never ahead of them: due order is kept under backpressure.
        if (!queue.HasDueWaiting && queue.TryTakeSlot())
        {
            if (!queue.TryWrite(envelope))
            {
                _lifecycle.TryAbandon(envelope, AbandonReason.Shutdown);
            }

            return;
        }

        queue.AddDue(envelope);
        PumpDue(queue); // a slot may have freed between the failed take and the park
    }

    void IDueJobSink.OnDue(Envelope envelope)
    {
        if (_lifecycle.TryMakeDue(envelope))
        {
            Dispatch(envelope);
        }
    }

    void IDueJobSink.OnFault(Envelope envelope) => _lifecycle.TryAbandon(envelope, AbandonReason.Fault);

    /// <summary>A cancelled job gives its queue slot back at once.</summary>
    public void OnCancelled(Envelope envelope)
    {
        var queue = queues[envelope.Registration.QueueIndex];
        if (queue.ReleaseSlotOf(envelope))
        {
            PumpDue(queue);
        }
    }

    private void PumpDue(ChannelQueue queue)
    {
        if (queue.PumpDue() is { } failed)
        {
            foreach (var envelope in failed)
            {
                _lifecycle.TryAbandon(envelope, AbandonReason.Shutdown);
            }
        }
    }

    private void DropOldestAndWrite(ChannelQueue queue, Envelope envelope)
    {
        while (true)
        {
            if (queue.TryTakeOldest() is { } oldest && queue.ReleaseSlotOf(oldest))
            {
                _lifecycle.TryAbandon(oldest, AbandonReason.QueueFull);
            }

            // Whether a slot freed above, a worker took one meanwhile, or the oldest was a tombstone: try again.
            if (queue.TryTakeSlot())
            {
                if (!queue.TryWrite(envelope))
                {
                    throw Closed(envelope);
                }

                return;
            }
        }
    }

    private async ValueTask<JobId> WaitForSpaceAsync(ChannelQueue queue, Envelope envelope, CancellationToken cancellationToken)
    {
        bool gotSlot;
        try
        {
            gotSlot = await queue.WaitForSlotAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _lifecycle.Forget(envelope);
            throw;
        }

        // No slot means the queue closed while we waited: InProc is stopping.
        return gotSlot && queue.TryWrite(envelope) ? envelope.Id : throw Closed(envelope);
    }

    private InvalidOperationException Closed(Envelope envelope)
    {
        _lifecycle.Forget(envelope);
        return StopErrors.Stopping();
    }
}
