using InProc.Execution;
using InProc.Queues;

namespace InProc.Hosting;

/// <summary>
/// Admission, shared by every entry point: prepare (checks, id, unique key), store (at once in memory, after the
/// commit with a journal), then queue or schedule. The awaiting entry points never block on a commit.
/// </summary>
internal sealed partial class InProcRuntime
{
    /// <summary>
    /// The admission of the entry points that cannot await (TryEnqueue, recurring runs, fake mode): the checked
    /// envelope, stored as Enqueued, or as Scheduled when <paramref name="dueAt"/> is given; blocks on a journal's
    /// commit. Null for a duplicate of a unique job: no job was created, and <paramref name="holder"/> is the job
    /// that holds the key.
    /// </summary>
    private Envelope? Admit<TMessage>(TMessage message, DateTimeOffset now, out JobId holder, DateTimeOffset? dueAt = null)
    {
        var envelope = Prepare(message, now, dueAt, out holder, out var holderStored);
        if (holderStored is not null)
        {
            // These entry points block already (on the commit): they block on the holder's store the same way.
            holder = AwaitHolderAsync(envelope!, now, holderStored).AsTask().GetAwaiter().GetResult();
            envelope = holder == default ? envelope : null;
        }

        if (envelope is not null)
        {
            var stored = StoreAsync(envelope, CancellationToken.None);
            if (!stored.IsCompletedSuccessfully)
            {
                stored.AsTask().GetAwaiter().GetResult();
            }
        }

        return envelope;
    }

    /// <summary>
    /// The checked envelope, not stored yet, with its unique key claimed when it has one. Null for a duplicate
    /// (<paramref name="holder"/> is the job holding the key; debounce has moved it). When the holder is claimed but
    /// not stored yet, <paramref name="holderStored"/> is set and the envelope returned unclaimed: the caller waits with
    /// <see cref="AwaitHolderAsync"/> (a memory store never gets here: its adds complete at once).
    /// </summary>
    private Envelope? Prepare<TMessage>(TMessage message, DateTimeOffset now, DateTimeOffset? dueAt, out JobId holder, out Task<bool>? holderStored)
    {
        var envelope = _admission.Create(message, now);
        ThrowIfStopping();
        ThrowIfNothingRuns();
        envelope.DueAt = dueAt;
        holder = default;
        holderStored = null;
        return envelope.Registration.Limits?.Unique is { } unique && !ClaimUnique(envelope, unique, now, out holder, out holderStored) && holderStored is null ? null : envelope;
    }

    /// <summary>
    /// Stores a prepared envelope (Enqueued, or Scheduled when it has a due time). Completes at once in memory, after
    /// the commit with a journal; a store that refuses the job gives its unique key back.
    /// </summary>
    private ValueTask StoreAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        ValueTask stored;
        try
        {
            stored = Lifecycle.AdmitAsync(envelope, envelope.DueAt is null ? JobState.Enqueued : JobState.Scheduled, cancellationToken);
        }
        catch when (ReleaseUnadmitted(envelope))
        {
            throw; // not reached: the filter gives the key back and lets the exception pass
        }

        return stored.IsCompletedSuccessfully || envelope.UniqueKey is null ? stored : ReleaseIfRefusedAsync(stored, envelope);
    }

    /// <summary>Stores a prepared Enqueued envelope, then puts it in its queue (after the commit with a journal, never before).</summary>
    private ValueTask<JobId> EnqueuePrepared(Envelope envelope, CancellationToken cancellationToken)
    {
        // The memory store completes at once: no state machine, no allocation. A journal completes after its commit.
        var stored = StoreAsync(envelope, cancellationToken);
        return stored.IsCompletedSuccessfully
            ? _dispatcher.EnqueueAsync(envelope, cancellationToken)
            : EnqueueAfterCommitAsync(stored, envelope, cancellationToken);
    }

    /// <summary>Stores a prepared Scheduled envelope, then hands it to the scheduler.</summary>
    private ValueTask<JobId> SchedulePrepared(Envelope envelope, CancellationToken cancellationToken)
    {
        var stored = StoreAsync(envelope, cancellationToken);
        if (!stored.IsCompletedSuccessfully)
        {
            return ScheduleAfterCommitAsync(stored, envelope);
        }

        Schedule(envelope);
        return new ValueTask<JobId>(envelope.Id);
    }

    private ValueTask<JobId> ScheduleAt<TMessage>(TMessage message, DateTimeOffset runAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (runAt <= now)
        {
            return EnqueueAsync(message, cancellationToken);
        }

        var envelope = Prepare(message, now, runAt, out var holder, out var holderStored);
        if (holderStored is not null)
        {
            return AfterHolderAsync(envelope!, now, holderStored, SchedulePrepared, cancellationToken);
        }

        return envelope is null ? new ValueTask<JobId>(holder) : SchedulePrepared(envelope, cancellationToken);
    }

    /// <summary>A duplicate that waited for its holder's store: the holder's id, or this job's once it holds the key.</summary>
    private async ValueTask<JobId> AfterHolderAsync(Envelope envelope, DateTimeOffset now, Task<bool> holderStored, Func<Envelope, CancellationToken, ValueTask<JobId>> admit, CancellationToken cancellationToken)
    {
        var holder = await AwaitHolderAsync(envelope, now, holderStored).ConfigureAwait(false);
        return holder != default ? holder : await admit(envelope, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A stored Scheduled job into the scheduler's heap; if InProc stopped meanwhile, it is forgotten and the caller told.</summary>
    private void Schedule(Envelope envelope)
    {
        if (!_scheduler.TrySchedule(envelope))
        {
            Lifecycle.Forget(envelope);
            throw StopErrors.Stopping();
        }
    }

    /// <summary>A store that commits asynchronously (the journal): the job goes to its queue once the commit holds it, never before.</summary>
    private async ValueTask<JobId> EnqueueAfterCommitAsync(ValueTask stored, Envelope envelope, CancellationToken cancellationToken)
    {
        await stored.ConfigureAwait(false);
        return await _dispatcher.EnqueueAsync(envelope, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<JobId> ScheduleAfterCommitAsync(ValueTask stored, Envelope envelope)
    {
        await stored.ConfigureAwait(false);
        Schedule(envelope);
        return envelope.Id;
    }
}
