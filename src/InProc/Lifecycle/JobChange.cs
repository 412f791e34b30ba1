using InProc.Execution;

namespace InProc.Lifecycle;

/// <summary>What happened to a job: one entry of the lifecycle's change feed.</summary>
internal enum JobChangeKind
{
    /// <summary>Admitted: stored as Enqueued or Scheduled.</summary>
    Added,

    /// <summary>A guarded transition succeeded.</summary>
    Transitioned,

    /// <summary>Refused at admission (a full queue in Reject mode, a full TryEnqueue): the caller was told, no job exists.</summary>
    Rejected,

    /// <summary>Removed before it was acknowledged (its caller's wait was cancelled, or InProc stopped meanwhile).</summary>
    Forgotten,
}

/// <summary>One change, published after the store applied it, in the order the lifecycle made it for that job.</summary>
/// <remarks><see cref="Reason"/> is set when the change abandons the job.</remarks>
internal readonly record struct JobChange(Envelope Envelope, JobState Previous, JobState State, JobChangeKind Kind, AbandonReason? Reason = null);

/// <summary>Observes the change feed (metrics, tests, a journal). Must be cheap; a throw is caught and logged.</summary>
internal interface IJobChangeObserver
{
    void OnChange(in JobChange change);
}
