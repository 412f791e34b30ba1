using System.Runtime.ExceptionServices;
using InProc.Execution;

namespace InProc.Hosting;

internal sealed partial class InProcRuntime
{
    /// <summary>
    /// Synchronous mode, for the entry points that cannot await (<see cref="TryEnqueue{TMessage}"/>, a dead letter's
    /// re-run): runs the job to completion on the calling thread and throws its exception when it failed for good.
    /// </summary>
    private void RunInlineBlocking(Envelope envelope)
    {
        Tracker.Enqueued(envelope);
        var error = ExecuteBlocking(envelope);
        if (error is not null && envelope.State != JobState.Retrying)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }

    /// <summary>Runs one attempt and blocks the calling thread until it has finished; returns its failure, or null.</summary>
    private Exception? ExecuteBlocking(Envelope envelope)
    {
        // A job that awaits posts its continuation to the caller's SynchronizationContext. Blocking a single-threaded
        // context (xunit's test context with every thread busy, a UI thread) on that continuation would never end, so
        // the attempt runs without one: the job starts on this thread and any continuation goes to the thread pool.
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return _executor.ExecuteAsync(envelope, _jobsStopping.Token).GetAwaiter().GetResult();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }
}
