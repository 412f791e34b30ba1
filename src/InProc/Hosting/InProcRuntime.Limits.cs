using InProc.Execution;
using InProc.Limits;

namespace InProc.Hosting;

/// <summary>The runtime's unique-job and limit entry points: admission of a unique job, the result-returning enqueue, and the stop's sweep.</summary>
internal sealed partial class InProcRuntime
{
    private volatile bool _recording;

    /// <summary>The unique keys held now (for tests and the bench).</summary>
    public IUniqueKeyStore UniqueKeys => _unique.Keys;

    /// <summary>Fake mode records jobs instead of running them: a debounced duplicate then moves its holder's time but dispatches nothing.</summary>
    public void MarkRecording() => _recording = true;

    public ValueTask<EnqueueResult> EnqueueWithResultAsync<TMessage>(TMessage message, DateTimeOffset? runAt = null, CancellationToken cancellationToken = default)
    {
        var now = _admission.Now();
        var dueAt = runAt is { } at && at > now ? at : (DateTimeOffset?)null;
        var envelope = Prepare(message, now, dueAt, out var holder, out var holderStored);
        if (holderStored is not null)
        {
            return ResultAfterHolderAsync(envelope!, now, holderStored, cancellationToken);
        }

        if (envelope is null)
        {
            return new ValueTask<EnqueueResult>(new EnqueueResult(holder, IsDuplicate: true));
        }

        var pending = dueAt is null ? EnqueuePrepared(envelope, cancellationToken) : SchedulePrepared(envelope, cancellationToken);
        return pending.IsCompletedSuccessfully ? new ValueTask<EnqueueResult>(new EnqueueResult(pending.Result, IsDuplicate: false)) : EnqueuedAsync(pending);

        static async ValueTask<EnqueueResult> EnqueuedAsync(ValueTask<JobId> pending) => new(await pending.ConfigureAwait(false), IsDuplicate: false);
    }

    private async ValueTask<EnqueueResult> ResultAfterHolderAsync(Envelope envelope, DateTimeOffset now, Task<bool> holderStored, CancellationToken cancellationToken)
    {
        var holder = await AwaitHolderAsync(envelope, now, holderStored).ConfigureAwait(false);
        if (holder != default)
        {
            return new EnqueueResult(holder, IsDuplicate: true);
        }

        var id = await (envelope.DueAt is null ? EnqueuePrepared(envelope, cancellationToken) : SchedulePrepared(envelope, cancellationToken)).ConfigureAwait(false);
        return new EnqueueResult(id, IsDuplicate: false);
    }

    /// <summary>
    /// A duplicate whose holder was claimed but not stored yet (a journal's commit pending): waits for the holder's
    /// store, then claims again. The holder's id once it is stored (it never names a job that does not exist); default
    /// when the holder was refused and this envelope holds the key now (it is then stored like any job).
    /// </summary>
    private async ValueTask<JobId> AwaitHolderAsync(Envelope envelope, DateTimeOffset now, Task<bool> holderStored)
    {
        var unique = envelope.Registration.Limits!.Unique!;
        while (true)
        {
            _ = await holderStored.ConfigureAwait(false); // never faults; the claim below decides either way
            if (ClaimUnique(envelope, unique, now, out var holder, out var next))
            {
                return default;
            }

            if (next is null)
            {
                return holder;
            }

            holderStored = next;
        }
    }

    /// <summary>
    /// Claims a job's unique key before the job is stored (a failing selector throws to the caller, nothing stored).
    /// False for a duplicate: nothing is created, and in debounce mode a still-scheduled holder moves to the
    /// duplicate's due time.
    /// </summary>
    private bool ClaimUnique(Envelope envelope, UniqueSettings unique, DateTimeOffset now, out JobId holder, out Task<bool>? holderStored)
    {
        if (_unique.TryClaim(envelope, unique, envelope.Registration.Limits!.Spec, now, out holder, out holderStored))
        {
            return true;
        }

        if (holderStored is not null)
        {
            return false; // not decided: the caller waits for the holder's store (AwaitHolderAsync)
        }

        if (unique.ReplaceScheduled)
        {
            MoveDue(holder, envelope.DueAt, now);
        }

        return false;
    }

    /// <summary>An exception filter's side effect: a job the store refused gives its unique key back. Always false.</summary>
    private bool ReleaseUnadmitted(Envelope envelope)
    {
        if (envelope.UniqueKey is not null)
        {
            _releaser?.ReleaseUnadmitted(envelope);
        }

        return false;
    }

    /// <summary>A journal's commit that fails: the enqueue throws, and the key it claimed is given back.</summary>
    private async ValueTask ReleaseIfRefusedAsync(ValueTask stored, Envelope envelope)
    {
        try
        {
            await stored.ConfigureAwait(false);
        }
        catch when (ReleaseUnadmitted(envelope))
        {
            throw; // not reached: the filter gives the key back and lets the exception pass
        }
    }

    /// <summary>Debounce: a still-scheduled holder moves to <paramref name="dueAt"/> (now when null), by the lifecycle's compare-and-set.</summary>
    private void MoveDue(JobId holderId, DateTimeOffset? dueAt, DateTimeOffset now)
    {
        if (Store.FindActive(holderId) is not { State: JobState.Scheduled } holder)
        {
            return; // queued, running, retrying or finished: a duplicate changes nothing
        }

        var fake = _recording;
        if (dueAt is not { } at || at <= now)
        {
            if (Lifecycle.TryMakeDue(holder) && !fake)
            {
                _dispatcher.Dispatch(holder);
            }

            return;
        }

        if (Lifecycle.TryReschedule(holder, at) && !fake && !_scheduler.TrySchedule(holder))
        {
            Lifecycle.TryAbandon(holder, AbandonReason.Shutdown);
        }
    }

    /// <summary>Jobs still waiting for a concurrency slot when the stop ends the drain: reported, never silently left.</summary>
    private void AbandonLimitWaiters()
    {
        foreach (var registration in _admission.Registry.Values)
        {
            if (registration.Limits?.Concurrency is { } gate)
            {
                foreach (var envelope in gate.TakeWaiting())
                {
                    Lifecycle.TryAbandon(envelope, AbandonReason.Shutdown);
                }
            }
        }
    }
}
