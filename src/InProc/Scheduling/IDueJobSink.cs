using InProc.Execution;

namespace InProc.Scheduling;

/// <summary>Where the scheduler hands envelopes that came due: a dispatcher.</summary>
internal interface IDueJobSink
{
    /// <summary>A scheduled job or a waiting retry is due. Must not block the timer: a full queue keeps it waiting without a task.</summary>
    void OnDue(Envelope envelope);

    /// <summary><see cref="OnDue"/> threw unexpectedly: report the job, so it is not lost silently.</summary>
    void OnFault(Envelope envelope);
}
