namespace InProc;

/// <summary>One page of jobs, as <see cref="IJobMonitor.GetJobs"/> found them.</summary>
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

    /// <summary>Gets how many jobs matched the query's filter, on every page.</summary>
    /// <value>At least <see cref="Items"/>' count.</value>
    public int TotalCount { get; }

    /// <summary>Gets how many matching jobs come before this page.</summary>
    /// <value>The query's <see cref="JobQuery.Skip"/>.</value>
    public int Skip { get; }

    /// <summary>Gets the most jobs a page holds.</summary>
    /// <value>The query's <see cref="JobQuery.Take"/>.</value>
    public int Take { get; }
}
