namespace InProc.Samples.Worker;

/// <summary>The sample's store: logs each report instead of saving it.</summary>
/// <param name="logger">Where reports are logged.</param>
public sealed class LoggingReportStore(ILogger<LoggingReportStore> logger) : IReportStore
{
    /// <inheritdoc />
    public Task SaveAsync(Report report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        Log.ReportWritten(logger, report.Number, report.JobId, report.RequestedAt);
        return Task.CompletedTask;
    }
}
