namespace InProc;

/// <summary>Puts jobs on InProc's queues. Inject it anywhere; it is a singleton and thread-safe.</summary>
public interface IJobQueue
{
    /// <summary>
    /// Enqueues a job for <paramref name="message"/>; a worker of the job's queue runs it soon after.
    /// </summary>
    /// <typeparam name="TMessage">A message type registered with <c>AddJob&lt;TJob&gt;()</c>.</typeparam>
    /// <param name="message">A small, immutable message (ids, not entities).</param>
    /// <param name="cancellationToken">Stops waiting for space in a full queue (<see cref="QueueFullMode.Wait"/>).</param>
    /// <returns>
    /// The job's id, for <see cref="IJobMonitor.GetJob"/>; for a duplicate of a unique job, the id of the job that holds
    /// the key (<see cref="EnqueueWithResultAsync{TMessage}"/> tells the two apart). Completes at once unless the queue is full and waits; with the SQLite journal (<c>UseSqliteJournal</c>), after the commit that holds the job.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No job is registered for the message type, or the application is stopping.</exception>
    /// <exception cref="QueueFullException">The queue is full and its mode is <see cref="QueueFullMode.Reject"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting for space; the job was not enqueued.</exception>
    ValueTask<JobId> EnqueueAsync<TMessage>(TMessage message, CancellationToken cancellationToken = default);

    /// <summary>Enqueues a job if its queue has space; never waits for space.</summary>
    /// <remarks>With the SQLite journal this call blocks its thread until the commit that holds the job (a few milliseconds, shared with concurrent enqueues); prefer <see cref="EnqueueAsync{TMessage}"/> there.</remarks>
    /// <typeparam name="TMessage">A message type registered with <c>AddJob&lt;TJob&gt;()</c>.</typeparam>
    /// <param name="message">A small, immutable message.</param>
    /// <param name="id">The job's id when it was enqueued; for a duplicate of a unique job (then the result is <see langword="true"/>), the holder's id.</param>
    /// <returns><see langword="false"/> when the queue was full and the job was not enqueued (for <see cref="QueueFullMode.DropNewest"/>: it was dropped and reported).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No job is registered for the message type, or the application is stopping.</exception>
    bool TryEnqueue<TMessage>(TMessage message, out JobId id);

    /// <summary>Schedules a job to run after <paramref name="delay"/>. It waits on a timer, not on a worker.</summary>
    /// <typeparam name="TMessage">A message type registered with <c>AddJob&lt;TJob&gt;()</c>.</typeparam>
    /// <param name="message">A small, immutable message.</param>
    /// <param name="delay">How long to wait; zero or negative runs it now.</param>
    /// <param name="cancellationToken">Stops waiting for space when a zero delay enqueues into a full queue.</param>
    /// <returns>The job's id; its state is <see cref="JobState.Scheduled"/> until it is due.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No job is registered for the message type, or the application is stopping.</exception>
    ValueTask<JobId> ScheduleAsync<TMessage>(TMessage message, TimeSpan delay, CancellationToken cancellationToken = default);

    /// <summary>Schedules a job to run at <paramref name="runAt"/>. It waits on a timer, not on a worker.</summary>
    /// <typeparam name="TMessage">A message type registered with <c>AddJob&lt;TJob&gt;()</c>.</typeparam>
    /// <param name="message">A small, immutable message.</param>
    /// <param name="runAt">When to run it; a time in the past runs it now.</param>
    /// <param name="cancellationToken">Stops waiting for space when a past time enqueues into a full queue.</param>
    /// <returns>The job's id; its state is <see cref="JobState.Scheduled"/> until it is due.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No job is registered for the message type, or the application is stopping.</exception>
    ValueTask<JobId> ScheduleAsync<TMessage>(TMessage message, DateTimeOffset runAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Enqueues (or, with a future <paramref name="runAt"/>, schedules) a job like <see cref="EnqueueAsync{TMessage}"/>
    /// and <see cref="ScheduleAsync{TMessage}(TMessage, DateTimeOffset, CancellationToken)"/>, and says whether it was a
    /// duplicate: a message whose unique key (<see cref="JobOptions{TMessage}.UniqueBy"/>) is held creates no job, and
    /// the result carries the holder's id with <see cref="EnqueueResult.IsDuplicate"/> set. The other methods return that
    /// same id for a duplicate, so code that ignores the difference is still correct.
    /// </summary>
    /// <typeparam name="TMessage">A message type registered with <c>AddJob&lt;TJob&gt;()</c>.</typeparam>
    /// <param name="message">A small, immutable message.</param>
    /// <param name="runAt">When to run it; <see langword="null"/> or a time that is not in the future enqueues it now.</param>
    /// <param name="cancellationToken">Stops waiting for space in a full queue (<see cref="QueueFullMode.Wait"/>).</param>
    /// <returns>The job's id (new, or the holder's), and whether it was a duplicate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No job is registered for the message type, the application is stopping, or the unique key selector threw or returned null (no job was created).</exception>
    /// <exception cref="QueueFullException">The queue is full and its mode is <see cref="QueueFullMode.Reject"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting for space; the job was not enqueued.</exception>
    ValueTask<EnqueueResult> EnqueueWithResultAsync<TMessage>(TMessage message, DateTimeOffset? runAt = null, CancellationToken cancellationToken = default);

    /// <summary>Cancels a job that has not started: scheduled, waiting for a retry, or still in its queue.</summary>
    /// <param name="id">The job's id.</param>
    /// <returns><see langword="true"/> when the job was cancelled (its state is now <see cref="JobState.Cancelled"/>); <see langword="false"/> when it is unknown, running or finished.</returns>
    bool Cancel(JobId id);
}
