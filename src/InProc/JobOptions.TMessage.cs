using System.Threading.RateLimiting;
using InProc.Limits;

namespace InProc;

/// <summary>
/// Settings of one job class for one message type, given to
/// <see cref="InProcBuilder.AddJob{TJob, TMessage}(Action{JobOptions{TMessage}})"/>: the queue, timeout and retry
/// policy of <see cref="JobOptions"/>, and uniqueness and limits whose keys are read from the message.
/// </summary>
/// <typeparam name="TMessage">The job's message type.</typeparam>
/// <remarks>
/// A key selector returns any value: a property (<c>m =&gt; m.OrderId</c>) or a tuple of several
/// (<c>m =&gt; (m.TenantId, m.Day)</c>). Keys are compared by their invariant text (numbers and dates formatted with
/// the invariant culture, tuple elements each), which is what a durable store writes. A selector that throws or returns
/// <see langword="null"/> is an error: at enqueue the caller gets an <see cref="InvalidOperationException"/> and no job
/// is created; at execution (concurrency and rate keys) the job goes to the dead letters with that exception.
/// </remarks>
public sealed class JobOptions<TMessage>
{
    internal JobOptions(JobOptions options) => Options = options;

    /// <summary>Gets or sets the queue the job runs on.</summary>
    /// <value>See <see cref="JobOptions.Queue"/>. The default is <c>"default"</c>.</value>
    public string Queue
    {
        get => Options.Queue;
        set => Options.Queue = value;
    }

    /// <summary>Gets or sets how long one attempt may run.</summary>
    /// <value>See <see cref="JobOptions.Timeout"/>. The default is <see langword="null"/> (<see cref="InProcOptions.DefaultTimeout"/>).</value>
    public TimeSpan? Timeout
    {
        get => Options.Timeout;
        set => Options.Timeout = value;
    }

    /// <summary>Gets or sets the job's retry policy.</summary>
    /// <value>See <see cref="JobOptions.Retry"/>. The default is <see langword="null"/> (<see cref="InProcOptions.DefaultRetry"/>).</value>
    public RetryPolicy? Retry
    {
        get => Options.Retry;
        set => Options.Retry = value;
    }

    internal JobOptions Options { get; }

    internal JobLimits<TMessage> Limits { get; } = new();

    /// <summary>
    /// Makes the job unique by a key read from its message: while a job holds the key, enqueueing a message with the
    /// same key creates no job and returns the holder's id (so ignoring the result is still correct);
    /// <see cref="IJobQueue.EnqueueWithResultAsync{TMessage}"/> also says it was a duplicate.
    /// </summary>
    /// <param name="key">Reads the key from a message, for example <c>m =&gt; m.OrderId</c>.</param>
    /// <param name="configure">Sets the scope (until finished by default), the time-to-live and the debounce mode.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public JobOptions<TMessage> UniqueBy(Func<TMessage, object?> key, Action<UniqueJobOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var unique = new UniqueJobOptions();
        configure?.Invoke(unique);
        Limits.SetUnique(key, unique);
        return this;
    }

    /// <summary>
    /// Runs at most <paramref name="limit"/> of these jobs at once per key. A job over the limit waits in a first-in,
    /// first-out list of its key without holding a worker, and goes back to its queue when a job of its key ends; jobs
    /// of other keys are not held up.
    /// </summary>
    /// <param name="key">Reads the key from a message, for example <c>m =&gt; m.TenantId</c>.</param>
    /// <param name="limit">The most jobs of one key that run at once; at least 1.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is less than 1.</exception>
    public JobOptions<TMessage> ConcurrencyLimit(Func<TMessage, object?> key, int limit)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (limit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "ConcurrencyLimit needs a limit of at least 1 job running at once per key.");
        }

        Limits.SetConcurrency(key, limit);
        return this;
    }

    /// <summary>
    /// Starts at most <paramref name="perSecond"/> of these jobs per second per key (a token bucket holding one
    /// second's worth, refilled evenly). A job without a permit is scheduled for when the limiter says one is available;
    /// that wait is not a failed attempt.
    /// </summary>
    /// <param name="key">Reads the key from a message, for example <c>m =&gt; m.PartnerId</c>.</param>
    /// <param name="perSecond">Jobs per second per key; at least 1.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="perSecond"/> is less than 1.</exception>
    public JobOptions<TMessage> RateLimit(Func<TMessage, object?> key, int perSecond)
    {
        ArgumentNullException.ThrowIfNull(key);
        Limits.SetRate(key, RateLimitSpec.PerSecond(perSecond));
        return this;
    }

    /// <summary>Starts at most <paramref name="perSecond"/> of these jobs per second, whatever their message (one limiter for the job).</summary>
    /// <param name="perSecond">Jobs per second; at least 1.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="perSecond"/> is less than 1.</exception>
    public JobOptions<TMessage> RateLimit(int perSecond)
    {
        Limits.SetRate(null, RateLimitSpec.PerSecond(perSecond));
        return this;
    }

    /// <summary>Limits how often these jobs start with a token bucket per key (or one for the job, when <paramref name="key"/> is <see langword="null"/>).</summary>
    /// <param name="key">Reads the key from a message, or <see langword="null"/> for one limiter for every message.</param>
    /// <param name="options">The bucket. InProc copies it and refills it from its own clock; <c>QueueLimit</c> and <c>AutoReplenishment</c> are not used (a job without a permit waits on InProc's scheduler).</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is not a valid token bucket (the limiter's own message).</exception>
    public JobOptions<TMessage> RateLimit(Func<TMessage, object?>? key, TokenBucketRateLimiterOptions options)
    {
        Limits.SetRate(key, RateLimitSpec.Of(options));
        return this;
    }

    /// <summary>Limits how often these jobs start with a fixed window per key (or one for the job, when <paramref name="key"/> is <see langword="null"/>).</summary>
    /// <param name="key">Reads the key from a message, or <see langword="null"/> for one limiter for every message.</param>
    /// <param name="options">The window. InProc copies it and moves the window on its own clock; <c>QueueLimit</c> and <c>AutoReplenishment</c> are not used.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is not a valid fixed window (the limiter's own message).</exception>
    public JobOptions<TMessage> RateLimit(Func<TMessage, object?>? key, FixedWindowRateLimiterOptions options)
    {
        Limits.SetRate(key, RateLimitSpec.Of(options));
        return this;
    }

    /// <summary>Limits how often these jobs start with a sliding window per key (or one for the job, when <paramref name="key"/> is <see langword="null"/>).</summary>
    /// <param name="key">Reads the key from a message, or <see langword="null"/> for one limiter for every message.</param>
    /// <param name="options">The window. InProc copies it and slides it on its own clock; <c>QueueLimit</c> and <c>AutoReplenishment</c> are not used.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is not a valid sliding window (the limiter's own message).</exception>
    public JobOptions<TMessage> RateLimit(Func<TMessage, object?>? key, SlidingWindowRateLimiterOptions options)
    {
        Limits.SetRate(key, RateLimitSpec.Of(options));
        return this;
    }
}
