namespace InProc;

/// <summary>
/// Runs around every job execution, for logging scopes, tenancy, tracing or metrics. Register with
/// <see cref="InProcBuilder.UseMiddleware{TMiddleware}"/>; one instance is resolved from the job's own scope
/// per execution, and middleware runs in registration order (the first registered is outermost).
/// </summary>
public interface IJobMiddleware
{
    /// <summary>Runs one execution: do work before, call <paramref name="next"/>, do work after.</summary>
    /// <param name="message">The job's message.</param>
    /// <param name="context">The job's id, attempt and cancellation.</param>
    /// <param name="next">Runs the rest of the pipeline and the job. Its exception is the attempt's outcome: catch it to observe it, and rethrow it unless the failure should be hidden.</param>
    /// <returns>A task that completes when the execution is done.</returns>
    Task InvokeAsync(object message, JobContext context, JobDelegate next);
}
