namespace InProc;

/// <summary>
/// Thrown by <see cref="IJobQueue.EnqueueAsync{TMessage}"/> when the job's queue is full and its
/// <see cref="QueueOptions.FullMode"/> is <see cref="QueueFullMode.Reject"/>.
/// </summary>
public sealed class QueueFullException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public QueueFullException()
        : this("The queue is full.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public QueueFullException(string message)
        : base(message)
    {
        QueueName = string.Empty;
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public QueueFullException(string message, Exception innerException)
        : base(message, innerException)
    {
        QueueName = string.Empty;
    }

    internal QueueFullException(string queueName, int capacity)
        : base($"Queue '{queueName}' is full ({capacity} jobs) and its FullMode is Reject, so the job was not enqueued. " +
               "Retry later, use TryEnqueue to test for space, raise the queue's Capacity or Workers, or choose QueueFullMode.Wait.")
    {
        QueueName = queueName;
        Capacity = capacity;
    }

    /// <summary>Gets the name of the full queue.</summary>
    /// <value>The queue name, or an empty string when not known.</value>
    public string QueueName { get; }

    /// <summary>Gets the capacity of the full queue.</summary>
    /// <value>The number of jobs the queue holds when full.</value>
    public int Capacity { get; }
}
