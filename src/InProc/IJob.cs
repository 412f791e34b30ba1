namespace InProc;

/// <summary>
/// A background job that handles messages of type <typeparamref name="TMessage"/>.
/// </summary>
/// <typeparam name="TMessage">The message type; one job class is registered per message type.</typeparam>
/// <remarks>
/// One instance is resolved from a fresh dependency-injection scope for every execution and the scope is
/// disposed afterwards, so a job may take scoped services (a <c>DbContext</c>) in its constructor.
/// Register the class with <see cref="InProcBuilder.AddJob{TJob}(Action{JobOptions}?)"/>.
/// </remarks>
public interface IJob<in TMessage>
{
    /// <summary>Runs the job for one message.</summary>
    /// <param name="message">The message that was enqueued.</param>
    /// <param name="context">Id, attempt and cancellation of this execution.</param>
    /// <returns>A task that completes when the job is done. A faulted task is a failed attempt.</returns>
    Task RunAsync(TMessage message, JobContext context);
}
