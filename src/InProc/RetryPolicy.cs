using InProc.Retry;

namespace InProc;

/// <summary>
/// How many times a failing job is attempted and how long it waits between attempts. Immutable: the
/// <c>DoNotRetry</c> methods return a new policy. A waiting retry is held by a timer, never by a worker.
/// </summary>
/// <example>
/// <code>
/// o.DefaultRetry = RetryPolicy.Exponential(maxAttempts: 8, baseDelay: TimeSpan.FromSeconds(1))
///                             .DoNotRetry&lt;ArgumentException&gt;();
/// </code>
/// </example>
public sealed class RetryPolicy
{
    private readonly Type[] _notRetried;
    private readonly Func<Exception, bool>? _notRetriedWhen;

    private RetryPolicy(int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay, bool exponential, bool jitter, Type[] notRetried, Func<Exception, bool>? notRetriedWhen)
    {
        MaxAttempts = maxAttempts;
        BaseDelay = baseDelay;
        MaxDelay = maxDelay;
        IsExponential = exponential;
        Jitter = jitter;
        _notRetried = notRetried;
        _notRetriedWhen = notRetriedWhen;
    }

    /// <summary>Gets a policy that runs a job once: a failure goes straight to the dead letters.</summary>
    /// <value>One attempt, no delay.</value>
    public static RetryPolicy None { get; } = new(1, TimeSpan.Zero, TimeSpan.Zero, exponential: false, jitter: false, [], null);

    /// <summary>Gets the total number of attempts, the first one included.</summary>
    /// <value>At least 1.</value>
    public int MaxAttempts { get; }

    /// <summary>Gets the delay after the first failed attempt.</summary>
    /// <value>The first delay; later delays double when <see cref="IsExponential"/>.</value>
    public TimeSpan BaseDelay { get; }

    /// <summary>Gets the longest delay between two attempts.</summary>
    /// <value>The cap on a delay, jitter included.</value>
    public TimeSpan MaxDelay { get; }

    /// <summary>Gets a value indicating whether each delay doubles the one before.</summary>
    /// <value><see langword="true"/> for <see cref="Exponential"/>, <see langword="false"/> for <see cref="Fixed"/>.</value>
    public bool IsExponential { get; }

    /// <summary>Gets a value indicating whether delays are randomized so that failures do not retry in lockstep.</summary>
    /// <value>When <see langword="true"/>, each delay is drawn uniformly between 75% and 100% of its computed value.</value>
    public bool Jitter { get; }

    /// <summary>
    /// A policy whose delays double after each failure: <paramref name="baseDelay"/>, 2×, 4×, … capped at <paramref name="maxDelay"/>.
    /// </summary>
    /// <param name="maxAttempts">Total attempts, the first one included; at least 1. The default is 5.</param>
    /// <param name="baseDelay">The delay after the first failure; the default is 2 seconds.</param>
    /// <param name="maxDelay">The longest delay; the default is 5 minutes.</param>
    /// <param name="jitter">Whether to draw each delay between 75% and 100% of its value; the default is <see langword="true"/>.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the message says which.</exception>
    public static RetryPolicy Exponential(int maxAttempts = RetryConstants.DefaultMaxAttempts, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null, bool jitter = true)
    {
        var first = baseDelay ?? RetryConstants.DefaultBaseDelay;
        var cap = maxDelay ?? RetryConstants.DefaultMaxDelay;
        Validate(maxAttempts, first, nameof(baseDelay));
        ValidateDelay(cap, nameof(maxDelay));
        if (cap < first)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDelay), cap, $"maxDelay ({cap}) must not be shorter than baseDelay ({first}).");
        }

        return new RetryPolicy(maxAttempts, first, cap, exponential: true, jitter, [], null);
    }

    /// <summary>A policy that waits the same <paramref name="delay"/> after every failure.</summary>
    /// <param name="maxAttempts">Total attempts, the first one included; at least 1.</param>
    /// <param name="delay">The delay between attempts; zero or more.</param>
    /// <param name="jitter">Whether to draw each delay between 75% and 100% of <paramref name="delay"/>; the default is <see langword="false"/>.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the message says which.</exception>
    public static RetryPolicy Fixed(int maxAttempts, TimeSpan delay, bool jitter = false)
    {
        Validate(maxAttempts, delay, nameof(delay));
        return new RetryPolicy(maxAttempts, delay, delay, exponential: false, jitter, [], null);
    }

    /// <summary>Returns a policy that sends a failure with <typeparamref name="TException"/> (or a subclass) straight to the dead letters.</summary>
    /// <typeparam name="TException">An exception type that retrying cannot fix, such as a validation error.</typeparam>
    /// <returns>A new policy; this one is unchanged.</returns>
    public RetryPolicy DoNotRetry<TException>()
        where TException : Exception =>
        new(MaxAttempts, BaseDelay, MaxDelay, IsExponential, Jitter, [.. _notRetried, typeof(TException)], _notRetriedWhen);

    /// <summary>Returns a policy that sends a failure for which <paramref name="predicate"/> is true straight to the dead letters.</summary>
    /// <param name="predicate">Tells which exceptions retrying cannot fix.</param>
    /// <returns>A new policy; this one is unchanged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is <see langword="null"/>.</exception>
    public RetryPolicy DoNotRetry(Func<Exception, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var previous = _notRetriedWhen;
        Func<Exception, bool> combined = previous is null ? predicate : e => previous(e) || predicate(e);
        return new RetryPolicy(MaxAttempts, BaseDelay, MaxDelay, IsExponential, Jitter, _notRetried, combined);
    }

    /// <summary>This policy's attempts and delays with the DoNotRetry filters of <paramref name="filters"/>: a configuration key changes the shape, never the filters set in code.</summary>
    internal RetryPolicy WithFiltersOf(RetryPolicy filters) =>
        new(MaxAttempts, BaseDelay, MaxDelay, IsExponential, Jitter, filters._notRetried, filters._notRetriedWhen);

    /// <summary>Tells whether an exception is one that is never retried.</summary>
    /// <param name="exception">The exception a job threw.</param>
    /// <returns><see langword="true"/> when the policy sends it straight to the dead letters.</returns>
    public bool IsNotRetried(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        foreach (var type in _notRetried)
        {
            if (type.IsInstanceOfType(exception))
            {
                return true;
            }
        }

        return _notRetriedWhen?.Invoke(exception) ?? false;
    }

    /// <summary>The delay after failed attempt <paramref name="attempt"/>, before jitter.</summary>
    internal TimeSpan GetDelay(int attempt)
    {
        if (!IsExponential || attempt <= 1)
        {
            return BaseDelay;
        }

        // Doubling past 2^40 is far beyond any cap; clamp the shift so the arithmetic never overflows.
        var factor = Math.Pow(2, Math.Min(attempt - 1, 40));
        var ticks = BaseDelay.Ticks * factor;
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The delay after failed attempt <paramref name="attempt"/>, with jitter drawn from <paramref name="random01"/> in [0, 1).</summary>
    internal TimeSpan GetDelay(int attempt, double random01)
    {
        var delay = GetDelay(attempt);
        if (!Jitter)
        {
            return delay;
        }

        var fraction = RetryConstants.JitterLowFraction + ((1 - RetryConstants.JitterLowFraction) * random01);
        return TimeSpan.FromTicks((long)(delay.Ticks * fraction));
    }

    /// <summary>Whether a job whose attempt <paramref name="attempt"/> failed with <paramref name="error"/> gets another attempt.</summary>
    internal bool ShouldRetry(Exception error, int attempt) => attempt < MaxAttempts && !IsNotRetried(error);

    private static void Validate(int maxAttempts, TimeSpan delay, string delayName)
    {
        if (maxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAttempts), maxAttempts, "maxAttempts counts the first attempt too, so it must be at least 1 (use RetryPolicy.None for a single attempt).");
        }

        ValidateDelay(delay, delayName);
    }

    private static void ValidateDelay(TimeSpan delay, string delayName)
    {
        if (delay < TimeSpan.Zero || delay > RetryConstants.MaxDelayLimit)
        {
            throw new ArgumentOutOfRangeException(delayName, delay, $"{delayName} is {delay}; it must be zero or positive and at most {RetryConstants.MaxDelayLimit.TotalDays} days. A retry further away than that is a scheduled job: use IJobQueue.ScheduleAsync.");
        }
    }
}
