namespace InProc;

/// <summary>
/// One process running InProc against the store, as <see cref="IJobMonitor.GetHosts"/> sees it: with the memory store
/// or the SQLite journal the current process only; with a shared store (InProc.PostgreSql) every host that sent a
/// heartbeat lately.
/// </summary>
public sealed class HostSnapshot
{
    internal HostSnapshot(string name, DateTimeOffset startedAt, DateTimeOffset lastHeartbeatAt, IReadOnlyDictionary<string, int> workers, int running, bool isCurrent)
    {
        Name = name;
        StartedAt = startedAt;
        LastHeartbeatAt = lastHeartbeatAt;
        Workers = workers;
        Running = running;
        IsCurrent = isCurrent;
    }

    /// <summary>Gets the host's name.</summary>
    /// <value>The store's name for the process (InProc.PostgreSql: <c>PostgreSqlOptions.HostName</c>, or machine:pid:suffix).</value>
    public string Name { get; }

    /// <summary>Gets when the host started.</summary>
    /// <value>By the store's clock (the database's for a shared store).</value>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Gets when the host last said it was alive.</summary>
    /// <value>By the store's clock; for the current process of a store without heartbeats, the time of the call.</value>
    public DateTimeOffset LastHeartbeatAt { get; }

    /// <summary>Gets the host's queues and how many workers it runs for each.</summary>
    /// <value>Queue name → <see cref="QueueOptions.Workers"/> on that host.</value>
    public IReadOnlyDictionary<string, int> Workers { get; }

    /// <summary>Gets how many jobs the host is running (or holds claimed) now.</summary>
    /// <value>Zero or more.</value>
    public int Running { get; }

    /// <summary>Gets whether this is the process that answered.</summary>
    /// <value><see langword="true"/> for the current process.</value>
    public bool IsCurrent { get; }
}
