namespace InProc.StressTests.Support;

internal sealed class RetriedWorkJob(Ledger ledger) : IJob<RetriedWork>
{
    public Task RunAsync(RetriedWork message, JobContext context) => WorkBody.RunAsync(ledger, message.Kind, message.Spins, context);
}
