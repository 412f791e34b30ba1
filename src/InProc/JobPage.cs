namespace InProc;

/// <summary>One page of <see cref="IJobMonitor.GetJobs(JobQuery)"/>.</summary>
public sealed class JobPage
{
    internal JobPage(IReadOnlyList<JobSnapshot> items, int totalCount, int skip, int take)
    {
        Items = items;
        TotalCount = totalCount;
        Skip = skip;
        Take = take;
    }

    /// <summary>Gets the jobs on this page, in the query's order.</summary>
    /// <value>At most <see cref="Take"/> snapshots.</value>
    public IReadOnlyList<JobSnapshot> Items { get; }

    /// <summary>Gets how many jobs matched the query in all.</summary>
    /// <value>Zero or more.</value>
    public int TotalCount { get; }

    /// <summary>Gets the query's <see cref="JobQuery.Skip"/>.</summary>
    /// <value>Zero or more.</value>
    public int Skip { get; }

    /// <summary>Gets the query's <see cref="JobQuery.Take"/>.</summary>
    /// <value>From 1 to <see cref="JobQuery.MaxTake"/>.</value>
    public int Take { get; }
}
