using System.Runtime.ExceptionServices;
using InProc.Execution;

namespace InProc.Hosting;

internal sealed partial class InProcRuntime
{
    // A job that enqueues itself (directly or in a cycle) would recurse until the stack overflows and kills the
    // process; stop it with an exception that says why instead. Real chains of follow-up jobs are far shallower.
    private const int MaxInlineDepth = 100;

    private static readonly AsyncLocal<int> InlineDepth = new();

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

    /// <summary>Counts one more job running inline inside another; returns the depth to restore afterwards.</summary>
    private static int EnterInline(Envelope envelope)
    {
        var depth = InlineDepth.Value;
        if (depth >= MaxInlineDepth)
        {
            throw new InvalidOperationException(
                $"Synchronous mode: job {envelope.Id} ({envelope.Registration.MessageType.Name}) would run {MaxInlineDepth + 1} levels deep, " +
                "each job enqueueing the next. A job that enqueues itself never ends in synchronous mode: break the cycle, or test it in fake mode (UseFakeMode) and run the jobs one by one.");
        }

        InlineDepth.Value = depth + 1;
        return depth;
    }

    /// <summary>Runs one attempt and blocks the calling thread until it has finished; returns its failure, or null.</summary>
    private Exception? ExecuteBlocking(Envelope envelope)
    {
        var depth = EnterInline(envelope);
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
            InlineDepth.Value = depth;
        }
    }
}
