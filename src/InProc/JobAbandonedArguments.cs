namespace InProc;

/// <summary>What <see cref="InProcOptions.OnAbandoned"/> is told about a job that will not run to completion.</summary>
public sealed class JobAbandonedArguments
{
    internal JobAbandonedArguments(JobId id, object message, string queue, JobState previousState, AbandonReason reason)
    {
        Id = id;
        Message = message;
        Queue = queue;
        PreviousState = previousState;
        Reason = reason;
    }

    /// <summary>Gets the job's id.</summary>
    /// <value>The id <see cref="IJobQueue.EnqueueAsync{TMessage}"/> returned.</value>
    public JobId Id { get; }

    /// <summary>Gets the job's message, so the application can store it and enqueue it again later.</summary>
    /// <value>The message that was enqueued.</value>
    public object Message { get; }

    /// <summary>Gets the name of the job's queue.</summary>
    /// <value>A queue name.</value>
    public string Queue { get; }

    /// <summary>Gets the state the job was in when it was abandoned.</summary>
    /// <value><see cref="JobState.Enqueued"/>, <see cref="JobState.Running"/>, <see cref="JobState.Scheduled"/> or <see cref="JobState.Retrying"/>.</value>
    public JobState PreviousState { get; }

    /// <summary>Gets why the job was abandoned.</summary>
    /// <value>A full queue or the application stopping.</value>
    public AbandonReason Reason { get; }
}
