using InProc.Diagnostics;
using InProc.Execution;
using InProc.Lifecycle;
using InProc.Scheduling;
using Microsoft.Extensions.Logging;

namespace InProc.Limits;

/// <summary>What <see cref="LimitGate.TryEnter"/> decided for a job about to start.</summary>
internal enum GateVerdict
{
    /// <summary>Within its limits: start it (it holds its concurrency permit, if any).</summary>
    Run,

    /// <summary>Over a limit: it waits (in its key's list, or scheduled for its rate permit) and the worker goes on.</summary>
    Wait,

    /// <summary>A key selector failed: the job cannot run; the caller fails it for good.</summary>
    KeyFailed,
}

/// <summary>
/// The check before an attempt starts, for jobs whose registration has a concurrency or rate limit: concurrency first
/// (a job over it joins its key's waiting list), then the rate (a job without a permit is deferred to the scheduler for
/// the limiter's retry time, returning its concurrency permit through that transition). Plain jobs never get here.
/// </summary>
internal sealed class LimitGate(JobLifecycle lifecycle, Scheduler scheduler, InProcMetrics metrics, TimeProvider time, ILogger logger)
{
    public GateVerdict TryEnter(Envelope envelope, RegistrationLimits limits, out Exception? keyError)
    {
        keyError = null;
        var state = envelope.Limits ??= new LimitState();
        if (!state.KeysRead && !TryReadKeys(envelope, limits, state, out keyError))
        {
            return GateVerdict.KeyFailed;
        }

        if (limits.Concurrency is { } concurrency && !concurrency.TryEnter(envelope, state, time.GetUtcNow().UtcTicks))
        {
            Waited(envelope, JobWaitReason.ConcurrencyLimit, state.ConcurrencyKey!);
            return GateVerdict.Wait;
        }

        if (limits.Rate is { } rate)
        {
            var now = time.GetUtcNow();
            if (!rate.TryAcquire(state.RateKey!, now, out var retryAt))
            {
                state.MarkWaiting(JobWaitReason.RateLimit, now.UtcTicks); // before the deferral makes it visible as Scheduled
                Waited(envelope, JobWaitReason.RateLimit, state.RateKey!);

                // Enqueued → Scheduled returns the concurrency permit (LimitReleaser); lost only to a cancel or an abandon.
                if (lifecycle.TryDefer(envelope, retryAt) && !scheduler.TrySchedule(envelope))
                {
                    lifecycle.TryAbandon(envelope, AbandonReason.Shutdown); // the scheduler stopped meanwhile
                }

                return GateVerdict.Wait;
            }
        }

        return GateVerdict.Run;
    }

    private bool TryReadKeys(Envelope envelope, RegistrationLimits limits, LimitState state, out Exception? error)
    {
        try
        {
            var message = envelope.Message!;
            state.SetKeys(
                limits.Concurrency is null && !limits.ConcurrencyInStore ? null : limits.Spec.ConcurrencyKeyOf(message),
                limits.Rate is null ? null : limits.Spec.RateKeyOf(message));
            error = null;
            return true;
        }
        catch (InvalidOperationException ex)
        {
            Log.LimitKeyFailed(logger, ex, envelope.Id, envelope.Registration.MessageType.Name);
            error = ex;
            return false;
        }
    }

    private void Waited(Envelope envelope, JobWaitReason reason, string key)
    {
        metrics.LimitWait(envelope, reason);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.JobWaitingOnLimit(logger, envelope.Id, envelope.Registration.MessageType.Name, reason, key);
        }
    }
}
