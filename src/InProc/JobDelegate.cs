namespace InProc;

/// <summary>The rest of the job pipeline, as <see cref="IJobMiddleware"/> sees it.</summary>
/// <returns>A task that completes when the job and the middleware after this one are done; faulted when the attempt failed.</returns>
public delegate Task JobDelegate();
