namespace InProc.StressTests.Support;

internal sealed class WorkJob(Ledger ledger) : IJob<Work>
{
    public Task RunAsync(Work message, JobContext context) => WorkBody.RunAsync(ledger, message.Kind, message.Spins, context);
}
