namespace InProc.Store;

/// <summary>
/// The seam through which an add-on package (InProc.Sqlite, later InProc.PostgreSql) replaces the memory store:
/// registered as a singleton in DI by its <c>Use…</c> method, called once by the runtime when it is built. Internal:
/// only InProc's own packages can supply a store. Not used in synchronous or fake mode (tests run in memory).
/// </summary>
internal interface IJobStoreProvider
{
    /// <summary>Creates and opens the store; throws a start-up error that says what to fix when it cannot.</summary>
    IJobStore Create(JobStoreContext context);
}
