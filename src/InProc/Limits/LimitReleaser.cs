using InProc.Diagnostics;
using InProc.Execution;
using InProc.Lifecycle;
using Microsoft.Extensions.Logging;

namespace InProc.Limits;

/// <summary>
/// Gives back what a job holds under its limits, from the lifecycle's change feed: the one place every transition goes
/// through, so no success, failure, cancel, abandon, timeout, refusal or forgotten admission can leak a key or a permit.
/// The unique key goes at the end its scope names (start, or the end of the job; a window only expires); the concurrency
/// permit goes whenever an attempt ends or a job leaves the queued state (deferred, cancelled, abandoned), and is handed
/// to its key's oldest waiter, which is dispatched. Jobs without limits return at the first check.
/// </summary>
internal sealed class LimitReleaser(IUniqueKeyStore keys, JobLifecycle lifecycle, InProcMetrics metrics, TimeProvider time, ILogger logger) : IJobChangeObserver
{
    private Action<Envelope>? _dispatch;

    /// <summary>Connects where a waiter handed a permit goes (its queue, or the inline runner). Once, at composition.</summary>
    public void Connect(Action<Envelope> dispatch) => _dispatch = dispatch;

    public void OnChange(in JobChange change)
    {
        if (change.Envelope.Limits is not { } state)
        {
            return;
        }

        var envelope = change.Envelope;
        if (change.Kind is JobChangeKind.Rejected or JobChangeKind.Forgotten)
        {
            ReleaseKey(state, envelope);
            ReturnPermit(envelope, state);
            return;
        }

        if (change.Kind != JobChangeKind.Transitioned)
        {
            return;
        }

        switch (change.State)
        {
            case JobState.Running:
                EndWait(envelope, state);
                if (state.Scope == UniqueScope.UntilStarted)
                {
                    ReleaseKey(state, envelope);
                }

                return;
            case JobState.Enqueued:
                return;
        }

        // Scheduled (a rate wait), Retrying (the attempt ended) or final: the permit goes back.
        ReturnPermit(envelope, state);
        if (change.State.IsFinal())
        {
            state.EndWait();
            if (state.Scope != UniqueScope.Window)
            {
                ReleaseKey(state, envelope);
            }
        }
    }

    /// <summary>An admission that threw after its key was claimed (the store refused the job): the key goes back.</summary>
    public void ReleaseUnadmitted(Envelope envelope)
    {
        if (envelope.Limits is { } state)
        {
            ReleaseKey(state, envelope);
        }
    }

    private void ReleaseKey(LimitState state, Envelope envelope)
    {
        if (state.Unique is { } key)
        {
            keys.Release(key, envelope.Id);
        }
    }

    private void ReturnPermit(Envelope envelope, LimitState state)
    {
        if (envelope.Registration.Limits?.Concurrency?.Release(state) is not { } next)
        {
            return;
        }

        try
        {
            _dispatch!(next);
        }
#pragma warning disable CA1031 // The waiter holds a permit now: whatever went wrong, it must end so the permit returns.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LimitHandOverFailed(logger, ex, next.Id);
            lifecycle.TryAbandon(next, AbandonReason.Fault);
        }
    }

    private void EndWait(Envelope envelope, LimitState state)
    {
        var reason = state.WaitingOn;
        var since = state.EndWait();
        if (since != 0 && reason is { } waitedOn)
        {
            metrics.LimitWaitEnded(envelope, waitedOn, TimeSpan.FromTicks(Math.Max(0, time.GetUtcNow().UtcTicks - since)));
        }
    }
}
