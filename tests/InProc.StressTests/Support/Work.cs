namespace InProc.StressTests.Support;

/// <summary>A job of the queue "wide", never retried.</summary>
/// <param name="Kind">What the job does.</param>
/// <param name="Spins">How many times a <see cref="WorkKind.Cooperative"/> job yields.</param>
internal sealed record Work(WorkKind Kind, int Spins = 0);
