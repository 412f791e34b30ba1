namespace InProc.Diagnostics;

/// <summary>Tag keys shared by metrics and traces.</summary>
internal static class TagNames
{
    public const string QueueName = "queue.name";
    public const string JobType = "job.type";
    public const string JobAttempt = "job.attempt";
    public const string JobId = "job.id";
    public const string ErrorType = "error.type";
    public const string RecurringName = "recurring.name";
    public const string RecurringOutcome = "recurring.outcome";
    public const string LimitKind = "limit.kind";
}
