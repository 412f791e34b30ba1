namespace InProc.Samples.Worker;

/// <summary>The job's message: which report to write, and the tick that asked for it.</summary>
/// <param name="Number">The report's sequence number since the process started.</param>
/// <param name="RequestedAt">When the timer ticked.</param>
public sealed record WriteReport(int Number, DateTimeOffset RequestedAt);
