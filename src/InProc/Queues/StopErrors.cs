namespace InProc.Queues;

/// <summary>The one message for work refused because InProc is stopping.</summary>
internal static class StopErrors
{
    public static InvalidOperationException Stopping() => new(
        "InProc is stopping (the application is shutting down), so no new job can be enqueued. " +
        "Enqueue jobs while the host runs; a job refused here was not stored and will not run.");
}
