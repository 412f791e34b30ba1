using InProc.Queues;

namespace InProc;

/// <summary>Settings of one named queue. Configure with <see cref="InProcOptions.AddQueue(string, Action{QueueOptions}?)"/>.</summary>
public sealed class QueueOptions
{
    internal QueueOptions(string name) => Name = name;

    /// <summary>Gets the queue's name, which <see cref="JobOptions.Queue"/> refers to.</summary>
    /// <value>The name given to <see cref="InProcOptions.AddQueue(string, Action{QueueOptions}?)"/>.</value>
    public string Name { get; }

    /// <summary>Gets or sets how many jobs of this queue run at the same time.</summary>
    /// <value>The number of async worker tasks; at least 1. The default is 4.</value>
    public int Workers { get; set; } = QueueConstants.DefaultWorkers;

    /// <summary>Gets or sets how many jobs wait in the queue before it is full.</summary>
    /// <value>At least 1. The default is 1,000: bounded memory, and backpressure instead of running out of it.</value>
    public int Capacity { get; set; } = QueueConstants.DefaultCapacity;

    /// <summary>Gets or sets what happens to a job enqueued while the queue is full.</summary>
    /// <value>The default is <see cref="QueueFullMode.Wait"/>: no job is lost.</value>
    public QueueFullMode FullMode { get; set; } = QueueConstants.DefaultFullMode;
}
