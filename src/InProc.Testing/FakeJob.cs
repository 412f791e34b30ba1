using InProc.Execution;

namespace InProc.Testing;

/// <summary>One job that <see cref="FakeJobQueue"/> recorded: what was enqueued or scheduled, where, for when, and what became of it.</summary>
public abstract class FakeJob
{
    private protected FakeJob(Envelope envelope, DateTimeOffset? runAt, object? message = null)
    {
        Envelope = envelope;
        Message = message ?? envelope.Message!; // kept here: a cancelled job's envelope lets go of its message
        RunAt = runAt;
    }

    /// <summary>Gets the job's id.</summary>
    /// <value>The id the enqueueing call returned; also the <see cref="JobContext.Id"/> when it runs.</value>
    public JobId Id => Envelope.Id;

    /// <summary>Gets the job's message.</summary>
    /// <value>The message exactly as it was enqueued.</value>
    public object Message { get; }

    /// <summary>Gets the queue the job would run on in production.</summary>
    /// <value>The job's <see cref="JobOptions.Queue"/>, <c>"default"</c> unless its registration says otherwise.</value>
    public string Queue => Envelope.Registration.QueueName;

    /// <summary>Gets when the job was enqueued or scheduled.</summary>
    /// <value>A UTC time from the application's <see cref="TimeProvider"/>.</value>
    public DateTimeOffset EnqueuedAt => Envelope.CreatedAt;

    /// <summary>Gets the time the job was scheduled for.</summary>
    /// <value>
    /// The time given to <see cref="IJobQueue.ScheduleAsync{TMessage}(TMessage, DateTimeOffset, CancellationToken)"/>, or the
    /// time of the call plus the delay; <see langword="null"/> for a job enqueued to run now (a schedule in the past
    /// or with no delay included, as in production).
    /// </value>
    public DateTimeOffset? RunAt { get; }

    /// <summary>Gets where the job is now.</summary>
    /// <value>
    /// <see cref="JobState.Enqueued"/> or <see cref="JobState.Scheduled"/> until it runs; then <see cref="JobState.Succeeded"/>
    /// or <see cref="JobState.Failed"/>. <see cref="JobState.Cancelled"/> after <see cref="IJobQueue.Cancel"/>.
    /// </value>
    public JobState State => Envelope.State;

    /// <summary>Gets a value indicating whether the job is still waiting to be run by the test.</summary>
    /// <value><see langword="true"/> until it runs or is cancelled.</value>
    public bool IsPending => Envelope.State is JobState.Enqueued or JobState.Scheduled;

    internal Envelope Envelope { get; }

    /// <summary>Describes the job for test failure messages.</summary>
    /// <returns>The message, id, queue, schedule and state.</returns>
    public override string ToString() =>
        $"{Message} (job {Id}, queue '{Queue}'{(RunAt is { } runAt ? $", scheduled for {runAt:O}" : string.Empty)}, {State})";
}
