namespace InProc.Store;

/// <summary>
/// A store shared by many processes knows them (InProc.PostgreSql: its hosts table); <see cref="IJobMonitor.GetHosts"/>
/// asks it. A store without it is this process alone.
/// </summary>
internal interface IHostDirectory
{
    /// <summary>Every host with a recent heartbeat, the current one included, ordered by name.</summary>
    IReadOnlyList<HostSnapshot> GetHosts();
}
