namespace InProc;

/// <summary>Selects a page of jobs for <see cref="IJobMonitor.GetJobs(JobQuery)"/>: by state and queue, newest first.</summary>
public sealed class JobQuery
{
    /// <summary>The most jobs one page may hold.</summary>
    public const int MaxTake = 500;

    private readonly int _skip;
    private readonly int _take = 50;

    /// <summary>Gets the state to select, or <see langword="null"/> for every state.</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public JobState? State { get; init; }

    /// <summary>Gets the queue to select, or <see langword="null"/> for every queue.</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public string? Queue { get; init; }

    /// <summary>Gets how many matching jobs to pass over before the page starts.</summary>
    /// <value>Zero or more; defaults to 0.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int Skip
    {
        get => _skip;
        init => _skip = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Skip), value, "Skip must be zero or more.");
    }

    /// <summary>Gets the page size.</summary>
    /// <value>From 1 to <see cref="MaxTake"/>; defaults to 50.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1 to <see cref="MaxTake"/>.</exception>
    public int Take
    {
        get => _take;
        init => _take = value is >= 1 and <= MaxTake ? value : throw new ArgumentOutOfRangeException(nameof(Take), value, $"Take must be from 1 to {MaxTake}; page through larger sets with Skip.");
    }

    /// <summary>Gets a value indicating whether the oldest job comes first (the default is newest first).</summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool OldestFirst { get; init; }
}
