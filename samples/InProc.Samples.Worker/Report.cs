namespace InProc.Samples.Worker;

/// <summary>A written report.</summary>
/// <param name="Number">The report's sequence number.</param>
/// <param name="JobId">The job that wrote it.</param>
/// <param name="RequestedAt">When the timer asked for it.</param>
/// <param name="WrittenAt">When the job wrote it.</param>
public sealed record Report(int Number, JobId JobId, DateTimeOffset RequestedAt, DateTimeOffset WrittenAt);
