namespace InProc.Tests.Recurring;

/// <summary>A message with a public parameterless constructor, for the one-type-argument form.</summary>
internal sealed class PurgeDeletedUsers
{
}

internal sealed class PurgeDeletedUsersJob : IJob<PurgeDeletedUsers>
{
    public Task RunAsync(PurgeDeletedUsers message, JobContext context) => Task.CompletedTask;
}

/// <summary>A message that needs its slot: only the factory form can make it.</summary>
internal sealed record NightlyTotals(DateTimeOffset Night);

internal sealed class NightlyTotalsJob : IJob<NightlyTotals>
{
    public Task RunAsync(NightlyTotals message, JobContext context) => Task.CompletedTask;
}

internal sealed record Audit;

internal sealed class TwoMessagesJob : IJob<Audit>, IJob<PurgeDeletedUsers>
{
    public Task RunAsync(Audit message, JobContext context) => Task.CompletedTask;

    public Task RunAsync(PurgeDeletedUsers message, JobContext context) => Task.CompletedTask;
}

internal sealed class NoMessageJob
{
}
