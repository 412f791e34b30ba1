using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using InProc.Execution;

namespace InProc.Hosting;

internal sealed partial class InProcRuntime
{
    public ValueTask<JobId> EnqueueAsync<TMessage>(TMessage message, CancellationToken cancellationToken = default)
    {
        var envelope = CreateEnvelope(message);
        ThrowIfStopping();
        if (IsSynchronous)
        {
            return RunInlineAsync(envelope);
        }

        Tracker.Enqueued(envelope);
        var queue = envelope.Registration.Queue!;
        if (queue.Writer.TryWrite(envelope))
        {
            return new ValueTask<JobId>(envelope.Id);
        }

        if (queue.FullMode == QueueFullMode.Reject)
        {
            Tracker.Forget(envelope);
            ThrowIfStopping();
            throw new QueueFullException(queue.Name, queue.Capacity);
        }

        return WaitForSpaceAsync(envelope, cancellationToken);
    }

    public bool TryEnqueue<TMessage>(TMessage message, out JobId id)
    {
        var envelope = CreateEnvelope(message);
        ThrowIfStopping();
        id = envelope.Id;
        if (IsSynchronous)
        {
            RunInlineBlocking(envelope);
            return true;
        }

        Tracker.Enqueued(envelope);
        if (!envelope.Registration.Queue!.Writer.TryWrite(envelope))
        {
            Tracker.Forget(envelope);
            ThrowIfStopping();
            id = default;
            return false;
        }

        // With DropNewest the channel accepts the write and drops this very job (reported through OnAbandoned).
        if (envelope.State == JobState.Abandoned && envelope.Registration.Queue.FullMode == QueueFullMode.DropNewest)
        {
            id = default;
            return false;
        }

        return true;
    }

    public ValueTask<JobId> ScheduleAsync<TMessage>(TMessage message, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        return ScheduleAt(message, now + (delay > TimeSpan.Zero ? delay : TimeSpan.Zero), now, cancellationToken);
    }

    public ValueTask<JobId> ScheduleAsync<TMessage>(TMessage message, DateTimeOffset runAt, CancellationToken cancellationToken = default) =>
        ScheduleAt(message, runAt, _time.GetUtcNow(), cancellationToken);

    /// <summary>Schedules for <paramref name="runAt"/>, given the clock reading <paramref name="now"/> (one read per call).</summary>
    private ValueTask<JobId> ScheduleAt<TMessage>(TMessage message, DateTimeOffset runAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (runAt <= now)
        {
            return EnqueueAsync(message, cancellationToken);
        }

        var envelope = CreateEnvelope(message, now);
        ThrowIfStopping();
        Tracker.Scheduled(envelope, runAt);
        if (!_scheduler.TrySchedule(envelope))
        {
            Tracker.Forget(envelope);
            ThrowIfStopping();
        }

        return new ValueTask<JobId>(envelope.Id);
    }

    public bool Cancel(JobId id)
    {
        if (Tracker.Find(id) is not { } envelope || !Tracker.TryCancel(envelope))
        {
            return false;
        }

        Diagnostics.Log.JobCancelled(_logger, envelope.Id, envelope.Registration.MessageType.Name);
        return true;
    }

    /// <summary>Puts a dead letter back in its queue with fresh attempts.</summary>
    public bool Requeue(JobId id)
    {
        ThrowIfStopping();
        if (DeadLetters.Take(id) is not { } envelope)
        {
            return false;
        }

        Tracker.Requeued(envelope);
        if (IsSynchronous)
        {
            RunInlineBlocking(envelope);
            return true;
        }

        WriteDue(envelope);
        return true;
    }

    /// <summary>Hands a due envelope (delayed job, retry, re-run) to its queue, respecting the queue's full mode.</summary>
    private void WriteDue(Envelope envelope)
    {
        var queue = envelope.Registration.Queue!;
        if (queue.Writer.TryWrite(envelope))
        {
            return;
        }

        if (_stopping)
        {
            Abandon(envelope, AbandonReason.Shutdown);
            return;
        }

        // Wait and Reject both wait here: Reject protects a request from blocking, and there is no request to
        // protect. Waiting runs on its own task so the scheduler's timer is never held.
        _ = WriteDueSlowAsync(envelope);
    }

    private async Task WriteDueSlowAsync(Envelope envelope)
    {
        try
        {
            await envelope.Registration.Queue!.Writer.WriteAsync(envelope).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            Abandon(envelope, AbandonReason.Shutdown);
        }
    }

    private void OnDue(Envelope envelope)
    {
        if (!Tracker.TryMakeDue(envelope))
        {
            return; // cancelled while it waited
        }

        if (IsSynchronous)
        {
            // On the thread that advanced the clock. The failure is recorded (dead letters, OnJobFailed); there is
            // no caller here to throw it to.
            _ = ExecuteBlocking(envelope);
            return;
        }

        WriteDue(envelope);
    }

    private async ValueTask<JobId> WaitForSpaceAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        try
        {
            await envelope.Registration.Queue!.Writer.WriteAsync(envelope, cancellationToken).ConfigureAwait(false);
            return envelope.Id;
        }
        catch (ChannelClosedException)
        {
            Tracker.Forget(envelope);
            ThrowIfStopping();
            throw;
        }
        catch (OperationCanceledException)
        {
            Tracker.Forget(envelope);
            throw;
        }
    }

    private async ValueTask<JobId> RunInlineAsync(Envelope envelope)
    {
        var depth = EnterInline(envelope);
        Exception? error;
        try
        {
            Tracker.Enqueued(envelope);
            error = await _executor.ExecuteAsync(envelope, _jobsStopping.Token).ConfigureAwait(false);
        }
        finally
        {
            InlineDepth.Value = depth;
        }

        // A failure that will be retried (synchronous retries enabled) is not the caller's yet: the job goes on.
        if (error is not null && envelope.State != JobState.Retrying)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        return envelope.Id;
    }

    private Envelope CreateEnvelope<TMessage>(TMessage message) => CreateEnvelope(message, _time.GetUtcNow());

    /// <summary>
    /// Makes the envelope stamped with <paramref name="now"/>: one clock read serves the id's timestamp and the
    /// creation time (a clock read is a measurable share of an enqueue, bench/README.md), so the two agree.
    /// </summary>
    private Envelope CreateEnvelope<TMessage>(TMessage message, DateTimeOffset now)
    {
        if (message is null)
        {
            throw new ArgumentNullException(nameof(message), "A job needs a message: pass the message record (ids, not entities).");
        }

        if (_registry.TryGetValue(typeof(TMessage), out var registration))
        {
            // The common case: the static type is the registered one, so the envelope is typed without a cast.
            if (registration is JobRegistration<TMessage> typed)
            {
                return typed.CreateEnvelope(message, _ids.Next(now), now);
            }
        }
        else if (_registry.TryGetValue(message.GetType(), out registration))
        {
            // Enqueued through a base type or interface (e.g. as object): still the registered job.
            return registration.CreateEnvelope(message, _ids.Next(now), now);
        }

        throw new InvalidOperationException(
            $"No job is registered for message type '{message.GetType().FullName}'. " +
            $"Add a class that implements IJob<{message.GetType().Name}> and register it: services.AddInProc().AddJob<YourJob>().");
    }
}
