namespace InProc.StressTests.Support;

/// <summary>What happened to one job id, as its body, the hooks and the callers of <c>Cancel</c> saw it. Updated with <see cref="Interlocked"/>.</summary>
internal sealed class Tally
{
#pragma warning disable CA1051 // Fields, so that Interlocked can update them in place.
    public int Ran;
    public int Succeeded;
    public int DeadLettered;
    public int Abandoned;
    public int AbandonedForQueueFull;
    public int Cancelled;
    public int Terminal;
    public int Requeued;
#pragma warning restore CA1051

    /// <summary>How many distinct outcomes (succeeded, failed, cancelled, abandoned) this id has: exactly 1 when accounted.</summary>
    public int OutcomeKinds =>
        (Volatile.Read(ref Succeeded) > 0 ? 1 : 0) + (Volatile.Read(ref DeadLettered) > 0 ? 1 : 0) +
        (Volatile.Read(ref Cancelled) > 0 ? 1 : 0) + (Volatile.Read(ref Abandoned) > 0 ? 1 : 0);

    public override string ToString() =>
        $"ran {Ran}, succeeded {Succeeded}, dead-lettered {DeadLettered}, cancelled {Cancelled}, abandoned {Abandoned} " +
        $"({AbandonedForQueueFull} for QueueFull), requeued {Requeued}";
}
