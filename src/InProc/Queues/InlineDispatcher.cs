using System.Runtime.ExceptionServices;
using InProc.Execution;
using InProc.Lifecycle;
using InProc.Scheduling;

namespace InProc.Queues;

/// <summary>
/// Synchronous mode's dispatcher: a job runs in the caller, through the same runner (DI scope, middleware,
/// timeout, lifecycle, dead letters), and its failure comes back to the caller. Jobs that come due on the clock
/// (delays, retries when enabled) run on the thread that advanced it. No queues, no workers.
/// </summary>
internal sealed class InlineDispatcher(AttemptRunner runner) : IJobDispatcher, IDueJobSink
{
    // A job that enqueues itself (directly or in a cycle) would recurse until the stack overflows and kills the
    // process; stop it with an exception that says why instead. Real chains of follow-up jobs are far shallower.
    private const int MaxInlineDepth = 100;

    private static readonly AsyncLocal<int> InlineDepth = new();

    private readonly JobLifecycle _lifecycle = runner.Lifecycle;

    ValueTask<JobId> IJobDispatcher.EnqueueAsync(Envelope envelope, CancellationToken cancellationToken) => RunAsync(envelope);

    bool IJobDispatcher.TryEnqueue(Envelope envelope)
    {
        RunBlocking(envelope);
        return true;
    }

    void IJobDispatcher.Dispatch(Envelope envelope) => RunBlocking(envelope);

    void IJobDispatcher.OnCancelled(Envelope envelope)
    {
        // Nothing is held: a job runs the moment it is enqueued.
    }

    /// <summary>Runs an admitted job now; throws its exception when it failed for good. Without <paramref name="limits"/> (fake mode) it skips concurrency and rate limits.</summary>
    public async ValueTask<JobId> RunAsync(Envelope envelope, bool limits = true)
    {
        var depth = EnterInline(envelope);
        Exception? error;
        try
        {
            error = await runner.RunAsync(envelope, null, limits).ConfigureAwait(false);
        }
        finally
        {
            InlineDepth.Value = depth;
        }

        ThrowIfFailedForGood(envelope, error);
        return envelope.Id;
    }

    /// <summary>For the entry points that cannot await (TryEnqueue, a dead letter's re-run): runs to completion on this thread.</summary>
    public void RunBlocking(Envelope envelope) => ThrowIfFailedForGood(envelope, ExecuteBlocking(envelope));

    /// <summary>A job handed a concurrency slot when the job before it ended: runs on this thread; its failure is recorded, not thrown.</summary>
    public void RunQuietly(Envelope envelope) => _ = ExecuteBlocking(envelope);

    void IDueJobSink.OnDue(Envelope envelope)
    {
        if (_lifecycle.TryMakeDue(envelope))
        {
            // On the thread that advanced the clock. The failure is recorded (dead letters, OnJobFailed); there is
            // no caller here to throw it to.
            _ = ExecuteBlocking(envelope);
        }
    }

    void IDueJobSink.OnFault(Envelope envelope) => _lifecycle.TryAbandon(envelope, AbandonReason.Fault);

    private static void ThrowIfFailedForGood(Envelope envelope, Exception? error)
    {
        // A failure that will be retried (synchronous retries enabled) is not the caller's yet: the job goes on.
        if (error is not null && envelope.State != JobState.Retrying)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }

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

    private Exception? ExecuteBlocking(Envelope envelope)
    {
        var depth = EnterInline(envelope);

        // A job that awaits posts its continuation to the caller's SynchronizationContext. Blocking a single-threaded
        // context on that continuation would never end, so the attempt runs without one.
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return runner.RunAsync(envelope).AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
            InlineDepth.Value = depth;
        }
    }
}
