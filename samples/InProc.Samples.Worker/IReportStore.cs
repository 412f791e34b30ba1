namespace InProc.Samples.Worker;

/// <summary>Where reports go: a database or a file share in a real app.</summary>
public interface IReportStore
{
    /// <summary>Stores one report.</summary>
    /// <param name="report">The report.</param>
    /// <param name="cancellationToken">Cancelled by the job's timeout or at shutdown.</param>
    /// <returns>A task that completes when the report is stored.</returns>
    Task SaveAsync(Report report, CancellationToken cancellationToken);
}
