namespace InProc.Recurring;

/// <summary>
/// How the runtime's own <see cref="IJobQueue"/> takes a recurring run: as a due job (like a delayed job that came
/// due), which never waits and never drops. A run meeting a full queue waits in that queue's due backlog for a slot,
/// whatever its <see cref="QueueFullMode"/>, so the timer is never held. Another <see cref="IJobQueue"/> in the
/// container (fake mode's, an application's decorator) gets <see cref="IJobQueue.TryEnqueue{TMessage}"/> instead.
/// </summary>
internal interface IRecurringJobSink
{
    /// <summary>Admits and dispatches a run; throws what admission throws (InProc is stopping) and, in synchronous mode, the job's failure.</summary>
    JobId EnqueueDue(object message);
}
