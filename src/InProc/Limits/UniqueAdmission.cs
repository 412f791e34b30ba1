using InProc.Diagnostics;
using InProc.Execution;
using InProc.Lifecycle;
using Microsoft.Extensions.Logging;

namespace InProc.Limits;

/// <summary>
/// The unique-key step of admission, for registrations with <c>UniqueBy</c>: read the key (a failing selector is the
/// caller's exception, before anything is stored), claim it, and on a duplicate report the holder. Plain jobs never
/// get here.
/// </summary>
internal sealed class UniqueAdmission(IUniqueKeyStore keys, InProcMetrics metrics, ILogger logger)
{
    public IUniqueKeyStore Keys => keys;

    /// <summary>
    /// True when the envelope may be admitted (it holds its key now); false with the holder's id for a duplicate. A
    /// holder not stored yet gives <paramref name="holderStored"/>: the caller waits for it and claims again (the
    /// duplicate is not reported yet); null when the duplicate is decided.
    /// </summary>
    public bool TryClaim(Envelope envelope, UniqueSettings unique, JobLimits spec, DateTimeOffset now, out JobId holder, out Task<bool>? holderStored)
    {
        var registration = envelope.Registration;
        var key = new UniqueKey(registration.Name, spec.UniqueKeyOf(envelope.Message!));
        var pending = keys.TryClaimAsync(key, envelope.Id, TimeMath.AddSaturating(now, unique.TimeToLive), now);
        var claim = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        if (claim.Claimed)
        {
            envelope.Limits = new LimitState { Unique = key, Scope = unique.Scope };
            holder = default;
            holderStored = null;
            return true;
        }

        holder = claim.Holder;
        if (claim.HolderStored is { } stored && !(stored.IsCompletedSuccessfully && stored.Result))
        {
            holderStored = stored; // the holder's commit has not answered, or it was refused: decided after the wait
            return false;
        }

        holderStored = null;
        metrics.Duplicate(envelope);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.JobDuplicate(logger, registration.MessageType.Name, key.Value, holder);
        }

        return false;
    }
}
