namespace InProc.Samples.Worker;

/// <summary>Writes one report. Runs on an InProc worker of the <c>"reports"</c> queue, in a DI scope of its own.</summary>
/// <param name="store">Where the report goes.</param>
/// <param name="time">The clock (a fake one in tests).</param>
public sealed class WriteReportJob(IReportStore store, TimeProvider time) : IJob<WriteReport>
{
    /// <inheritdoc />
    public Task RunAsync(WriteReport message, JobContext context)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        var report = new Report(message.Number, context.Id, message.RequestedAt, time.GetUtcNow());
        return store.SaveAsync(report, context.CancellationToken);
    }
}
