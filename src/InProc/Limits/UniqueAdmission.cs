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

    /// <summary>True when the envelope may be admitted (it holds its key now); false with the holder's id for a duplicate.</summary>
    public bool TryClaim(Envelope envelope, UniqueSettings unique, JobLimits spec, DateTimeOffset now, out JobId holder)
    {
        var registration = envelope.Registration;
        var key = new UniqueKey(registration.Name, spec.UniqueKeyOf(envelope.Message!));
        var pending = keys.TryClaimAsync(key, envelope.Id, TimeMath.AddSaturating(now, unique.TimeToLive), now);
        var claim = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        if (claim.Claimed)
        {
            envelope.Limits = new LimitState { Unique = key, Scope = unique.Scope };
            holder = default;
            return true;
        }

        holder = claim.Holder;
        metrics.Duplicate(envelope);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.JobDuplicate(logger, registration.MessageType.Name, key.Value, holder);
        }

        return false;
    }
}
