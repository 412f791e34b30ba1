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
        if (runAt is { } at && at > now)
        {
            var scheduled = Admit(message, now, out var holder, at);
            if (scheduled is null)
            {
                return new ValueTask<EnqueueResult>(new EnqueueResult(holder, IsDuplicate: true));
            }

            Schedule(scheduled);
            return new ValueTask<EnqueueResult>(new EnqueueResult(scheduled.Id, IsDuplicate: false));
        }

        var envelope = Admit(message, now, out var existing);
        if (envelope is null)
        {
            return new ValueTask<EnqueueResult>(new EnqueueResult(existing, IsDuplicate: true));
        }

        var pending = _dispatcher.EnqueueAsync(envelope, cancellationToken);
        return pending.IsCompletedSuccessfully ? new ValueTask<EnqueueResult>(new EnqueueResult(pending.Result, IsDuplicate: false)) : EnqueuedAsync(pending);

        static async ValueTask<EnqueueResult> EnqueuedAsync(ValueTask<JobId> pending) => new(await pending.ConfigureAwait(false), IsDuplicate: false);
    }

    /// <summary>
    /// Admission of a job with a unique key: the key is read (a failing selector throws to the caller, nothing stored)
    /// and claimed before the job is stored; a store that then refuses the job gives the key back. A duplicate creates
    /// nothing; in debounce mode it moves a still-scheduled holder to the duplicate's due time.
    /// </summary>
    private Envelope? AdmitUnique(Envelope envelope, UniqueSettings unique, DateTimeOffset now, out JobId holder)
    {
        if (!_unique.TryClaim(envelope, unique, envelope.Registration.Limits!.Spec, now, out holder))
        {
            if (unique.ReplaceScheduled)
            {
                MoveDue(holder, envelope.DueAt, now);
            }

            return null;
        }

        try
        {
            Lifecycle.Admit(envelope, envelope.DueAt is null ? JobState.Enqueued : JobState.Scheduled);
        }
        catch
        {
            _releaser?.ReleaseUnadmitted(envelope);
            throw;
        }

        return envelope;
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
