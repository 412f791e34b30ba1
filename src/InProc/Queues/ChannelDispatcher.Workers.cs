using System.Threading.Channels;
using InProc.Diagnostics;
using InProc.Execution;

namespace InProc.Queues;

internal sealed partial class ChannelDispatcher
{
    /// <summary>Closes every queue: workers finish what is queued, due jobs already waiting for a slot included, then end (the drain).</summary>
    public void Close()
    {
        foreach (var queue in queues)
        {
            queue.Close();
        }
    }

    /// <summary>Reports everything still queued as abandoned (the drain ran out of time, or the workers never started).</summary>
    public void AbandonWaiting()
    {
        foreach (var queue in queues)
        {
            foreach (var envelope in queue.TakeDueBacklog().Concat(queue.TakeWaiting()))
            {
                _lifecycle.TryAbandon(envelope, AbandonReason.Shutdown); // a tombstone (cancelled) is already final
            }
        }
    }

    public List<Envelope> RunningJobs() => [.. queues.SelectMany(q => q.RunningJobs()).OfType<Envelope>()];

    /// <summary>
    /// One worker: a straight loop that reads one envelope at a time (ReadAsync wakes one worker per item),
    /// gives its slot back, and runs it. It ends when the queue is closed and empty. Nothing escapes the loop.
    /// </summary>
    private async Task WorkAsync(ChannelQueue queue, int worker)
    {
        var reader = queue.Reader;
        DateTimeOffset? finishedAt = null;
        while (true)
        {
            if (reader.TryRead(out var envelope))
            {
                // Straight from the last job: it starts when that one finished (one clock read per attempt).
            }
            else
            {
                finishedAt = null;
                try
                {
                    envelope = await reader.ReadAsync().ConfigureAwait(false);
                }
                catch (ChannelClosedException)
                {
                    return;
                }
            }

            try
            {
                if (queue.ReleaseSlotOf(envelope))
                {
                    PumpDue(queue);
                }

                if (envelope.State != JobState.Enqueued)
                {
                    continue; // a tombstone: cancelled or abandoned while it waited
                }

                if (state.IsAbandoning)
                {
                    _lifecycle.TryAbandon(envelope, AbandonReason.Shutdown);
                    continue;
                }

                queue.SetRunning(worker, envelope);
                await runner.RunAsync(envelope, finishedAt).ConfigureAwait(false);
                finishedAt = envelope.FinishedAt;
            }
#pragma warning disable CA1031 // A worker that dies would take its queue's waiting jobs with it: it must survive anything.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.WorkerFault(logger, ex, queue.Name, envelope.Id);
                _lifecycle.TryAbandon(envelope, AbandonReason.Fault);
            }
            finally
            {
                queue.SetRunning(worker, null);
            }
        }
    }
}
