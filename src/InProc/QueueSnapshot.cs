namespace InProc;

/// <summary>One queue's settings and load at one moment.</summary>
public sealed class QueueSnapshot
{
    internal QueueSnapshot(string name, int workers, int capacity, QueueFullMode fullMode, int waiting, int running)
    {
        Name = name;
        Workers = workers;
        Capacity = capacity;
        FullMode = fullMode;
        Waiting = waiting;
        Running = running;
    }

    /// <summary>Gets the queue's name.</summary>
    /// <value>A queue name.</value>
    public string Name { get; }

    /// <summary>Gets how many jobs of this queue may run at once.</summary>
    /// <value>The configured <see cref="QueueOptions.Workers"/>.</value>
    public int Workers { get; }

    /// <summary>Gets how many jobs may wait in the queue.</summary>
    /// <value>The configured <see cref="QueueOptions.Capacity"/>.</value>
    public int Capacity { get; }

    /// <summary>Gets what the queue does when full.</summary>
    /// <value>The configured <see cref="QueueOptions.FullMode"/>.</value>
    public QueueFullMode FullMode { get; }

    /// <summary>Gets how many jobs wait for a worker.</summary>
    /// <value>From 0 to <see cref="Capacity"/>.</value>
    public int Waiting { get; }

    /// <summary>Gets how many jobs are running.</summary>
    /// <value>From 0 to <see cref="Workers"/>.</value>
    public int Running { get; }
}
