using InProc.Execution;

namespace InProc.Testing;

/// <summary>A job as <see cref="FakeJobQueue"/> holds it: the envelope the runtime made, and who gets to run it.</summary>
internal sealed class RecordedJob(Envelope envelope, DateTimeOffset? runAt) : FakeJob(envelope, runAt)
{
    private int _claimed;

    /// <summary>Gets a value indicating whether the job has been taken to run or cancel (or was cleared).</summary>
    public bool IsClaimed => Volatile.Read(ref _claimed) != 0;

    /// <summary>True once, for whoever runs or cancels the job; false when it ran, is running or was cancelled.</summary>
    public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;
}
