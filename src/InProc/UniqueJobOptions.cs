namespace InProc;

/// <summary>How a unique job keeps duplicates out, given to <see cref="JobOptions{TMessage}.UniqueBy"/>.</summary>
public sealed class UniqueJobOptions
{
    private TimeSpan _timeToLive = Limits.LimitsConstants.DefaultUniqueTimeToLive;

    /// <summary>Gets or sets how long the key is held.</summary>
    /// <value>The default is <see cref="UniqueScope.UntilFinished"/>.</value>
    public UniqueScope Scope { get; set; } = UniqueScope.UntilFinished;

    /// <summary>
    /// Gets or sets the longest time a key is held, counted from the enqueue: for <see cref="UniqueScope.Window"/> the
    /// window itself; for the other scopes a bound, so that no key is ever held forever (a job still waiting or retrying
    /// after this time no longer keeps a duplicate out).
    /// </summary>
    /// <value>A positive time. The default is 24 hours.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan TimeToLive
    {
        get => _timeToLive;
        set
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "UniqueJobOptions.TimeToLive must be positive: it bounds how long a key keeps duplicates out (for example TimeSpan.FromHours(1)).");
            }

            _timeToLive = value;
        }
    }

    /// <summary>
    /// Gets or sets a value indicating whether a duplicate moves a still-scheduled job to the duplicate's due time
    /// (debounce): with <c>ScheduleAsync(message, TimeSpan.FromSeconds(5))</c> on every change, the job runs 5 seconds
    /// after the last one. A duplicate of a job that is queued, running or retrying changes nothing.
    /// </summary>
    /// <value>The default is <see langword="false"/>: a duplicate changes nothing.</value>
    public bool ReplaceScheduled { get; set; }
}
