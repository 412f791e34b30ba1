namespace InProc.Limits;

/// <summary>
/// What <see cref="JobOptions{TMessage}"/> recorded for one message type: the unique key, concurrency and rate settings
/// and their key selectors. Configuration only; each runtime builds its own gates from it (<see cref="RegistrationLimits"/>).
/// </summary>
internal abstract class JobLimits
{
    public abstract Type MessageType { get; }

    public UniqueSettings? Unique { get; private protected set; }

    /// <summary>The most jobs per concurrency key that run at once; 0 = no concurrency limit.</summary>
    public int Concurrency { get; private protected set; }

    public RateLimitSpec? Rate { get; private protected set; }

    public bool IsEmpty => Unique is null && Concurrency == 0 && Rate is null;

    /// <summary>The unique key of <paramref name="message"/>; throws <see cref="InvalidOperationException"/> saying which selector failed.</summary>
    public abstract string UniqueKeyOf(object message);

    public abstract string ConcurrencyKeyOf(object message);

    public abstract string RateKeyOf(object message);

    /// <summary>Runs a user key selector inside a guard: a throw or a null becomes InProc's own message.</summary>
    private protected static string Guarded<TMessage>(Func<TMessage, object?> selector, TMessage message, string what)
    {
        object? value;
        try
        {
            value = selector(message);
        }
#pragma warning disable CA1031 // A key selector is user code: its failure is reported with what to fix, never as a bare crash.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            throw new InvalidOperationException(
                $"The {what} key selector of {typeof(TMessage).Name} threw {ex.GetType().Name}: {ex.Message} " +
                "Fix the selector given to AddJob<TJob, TMessage>(j => ...): it must return a value for every message.", ex);
        }

        if (value is null)
        {
            throw new InvalidOperationException(
                $"The {what} key selector of {typeof(TMessage).Name} returned null. A key must be a value (an id, a string " +
                "or a tuple of them); fix the selector given to AddJob<TJob, TMessage>(j => ...).");
        }

        return KeyText.Of(value);
    }
}

/// <summary>A unique key's scope, time-to-live and debounce mode, copied from <see cref="UniqueJobOptions"/>.</summary>
internal sealed record UniqueSettings(UniqueScope Scope, TimeSpan TimeToLive, bool ReplaceScheduled);

internal sealed class JobLimits<TMessage> : JobLimits
{
    private Func<TMessage, object?>? _unique;
    private Func<TMessage, object?>? _concurrency;
    private Func<TMessage, object?>? _rate;

    public override Type MessageType => typeof(TMessage);

    public void SetUnique(Func<TMessage, object?> key, UniqueJobOptions options)
    {
        _unique = key;
        Unique = new UniqueSettings(options.Scope, options.TimeToLive, options.ReplaceScheduled);
    }

    public void SetConcurrency(Func<TMessage, object?> key, int limit)
    {
        _concurrency = key;
        Concurrency = limit;
    }

    public void SetRate(Func<TMessage, object?>? key, RateLimitSpec spec)
    {
        _rate = key;
        Rate = spec;
    }

    public override string UniqueKeyOf(object message) => Guarded(_unique!, (TMessage)message, "UniqueBy");

    public override string ConcurrencyKeyOf(object message) => Guarded(_concurrency!, (TMessage)message, "ConcurrencyLimit");

    public override string RateKeyOf(object message) => _rate is null ? LimitsConstants.GlobalKey : Guarded(_rate, (TMessage)message, "RateLimit");
}
