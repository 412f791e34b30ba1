using InProc.Execution;

namespace InProc.Queues;

/// <summary>
/// Where an admitted job goes to run: the channel queues and their workers, or the caller itself (synchronous
/// mode). The runtime passes every job down through exactly one of them; neither knows the other exists.
/// </summary>
internal interface IJobDispatcher
{
    /// <summary>An admitted, Enqueued job. Completes when the queue accepted it (or, inline, when it ran).</summary>
    ValueTask<JobId> EnqueueAsync(Envelope envelope, CancellationToken cancellationToken);

    /// <summary>The non-waiting form: false when the job was refused (and is then not a job).</summary>
    bool TryEnqueue(Envelope envelope);

    /// <summary>A job Enqueued again: a dead letter's re-run.</summary>
    void Dispatch(Envelope envelope);

    /// <summary>A job was cancelled before it started: give back what it held.</summary>
    void OnCancelled(Envelope envelope);
}
