namespace InProc;

/// <summary>Which jobs <see cref="IJobMonitor.GetJobs"/> returns: a filter and a page.</summary>
public sealed class JobQuery
{
    // The most jobs one page may hold: a page is copied out of the index under its locks.
    internal const int MaxTake = 500;

    private readonly int _skip;
    private readonly int _take = 50;

    /// <summary>Gets the state the jobs must be in.</summary>
    /// <value>A state, or <see langword="null"/> (the default) for every state.</value>
    public JobState? State { get; init; }

    /// <summary>Gets the queue the jobs must belong to.</summary>
    /// <value>A queue name (compared ordinally), or <see langword="null"/> (the default) for every queue.</value>
    public string? Queue { get; init; }

    /// <summary>Gets how many matching jobs to pass over before the page starts.</summary>
    /// <value>At least 0; the default is 0.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int Skip
    {
        get => _skip;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _skip = value;
        }
    }

    /// <summary>Gets how many jobs the page holds at most.</summary>
    /// <value>From 1 to 500; the default is 50.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above 500.</exception>
    public int Take
    {
        get => _take;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxTake);
            _take = value;
        }
    }

    /// <summary>Gets a value indicating whether the oldest jobs come first.</summary>
    /// <value><see langword="false"/> (the default): newest first, by id (creation order).</value>
    public bool OldestFirst { get; init; }
}
