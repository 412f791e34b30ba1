namespace InProc;

/// <summary>What is happening: job status for <c>202 Accepted</c> status pages, queue depths, dead letters, recurring jobs.</summary>
public interface IJobMonitor
{
    /// <summary>Gets a job's current state.</summary>
    /// <param name="id">The id <see cref="IJobQueue.EnqueueAsync{TMessage}"/> returned.</param>
    /// <returns>A snapshot, or <see langword="null"/> when the job is unknown or its finished record was forgotten (see <see cref="InProcOptions.FinishedJobRetention"/>).</returns>
    JobSnapshot? GetJob(JobId id);

    /// <summary>Gets everything known of one job: its snapshot, message while active, failed attempts and trace id.</summary>
    /// <param name="id">The job's id.</param>
    /// <returns>The detail, or <see langword="null"/> when the job is unknown or forgotten.</returns>
    JobDetail? GetJobDetail(JobId id);

    /// <summary>
    /// Runs a scheduled job, or a job waiting for its retry, now instead of at its due time: it goes to the end of
    /// its queue (in synchronous mode it runs in the caller, and its failure is thrown).
    /// </summary>
    /// <param name="id">The job's id.</param>
    /// <returns><see langword="true"/> when the job was scheduled or retrying and is now queued; <see langword="false"/> otherwise.</returns>
    /// <exception cref="InvalidOperationException">The application is stopping.</exception>
    bool RunNow(JobId id);

    /// <summary>Gets a page of jobs (active ones and retained finished ones) by state and queue, newest first unless asked otherwise.</summary>
    /// <param name="query">The state, queue and page to select.</param>
    /// <returns>The page, with the total number of matching jobs.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    JobPage GetJobs(JobQuery query);

    /// <summary>Gets every queue's settings and current load.</summary>
    /// <returns>One snapshot per queue, the <c>"default"</c> queue first.</returns>
    IReadOnlyList<QueueSnapshot> GetQueues();

    /// <summary>Gets the jobs that failed for good, oldest first.</summary>
    /// <returns>At most <see cref="InProcOptions.DeadLetterCapacity"/> dead letters.</returns>
    IReadOnlyList<DeadLetter> GetDeadLetters();

    /// <summary>Runs a dead letter again, with fresh attempts and the same id.</summary>
    /// <param name="id">The dead letter's job id.</param>
    /// <returns><see langword="true"/> when it was enqueued again; <see langword="false"/> when there is no such dead letter.</returns>
    /// <exception cref="InvalidOperationException">The application is stopping.</exception>
    bool RequeueDeadLetter(JobId id);

    /// <summary>Forgets every dead letter.</summary>
    /// <returns>How many were removed.</returns>
    int PurgeDeadLetters();

    /// <summary>Gets the processes running InProc against this store: this one with the memory store or the SQLite journal; every host with a recent heartbeat with InProc.PostgreSql.</summary>
    /// <returns>One snapshot per host, ordered by name; the current process is marked <see cref="HostSnapshot.IsCurrent"/>.</returns>
    IReadOnlyList<HostSnapshot> GetHosts();

    /// <summary>Gets every recurring job: its schedule, next slot, last run and whether it is paused.</summary>
    /// <returns>One snapshot per <c>AddRecurringJob</c> call, in registration order; empty when there are none.</returns>
    IReadOnlyList<RecurringJobSnapshot> GetRecurringJobs();

    /// <summary>
    /// Runs a recurring job now, outside its schedule: one normal job whose message is made for the current time (a
    /// message factory gets it as the slot). The schedule does not change, no slot is used up, and the overlap policy
    /// does not apply (a run of the schedule meeting this one still follows it). Works while paused.
    /// </summary>
    /// <param name="name">The recurring job's name (case-sensitive).</param>
    /// <returns>
    /// The run's job id; <see langword="null"/> when no run was enqueued because the message factory threw or InProc is
    /// stopping (both logged, and counted by <c>inproc.recurring.runs</c> as <c>failed_to_enqueue</c>). In synchronous mode
    /// the run has finished when this returns; its failure is recorded (the job is <see cref="JobState.Failed"/>), not thrown.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No recurring job has that name (the message lists the names there are).</exception>
    JobId? TriggerRecurring(string name);

    /// <summary>Pauses a recurring job: no slot runs until it is resumed. A run already enqueued or running goes on.</summary>
    /// <param name="name">The recurring job's name (case-sensitive).</param>
    /// <returns><see langword="true"/> when it was running on its schedule and is now paused; <see langword="false"/> when it was paused already.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No recurring job has that name (the message lists the names there are).</exception>
    bool PauseRecurring(string name);

    /// <summary>
    /// Resumes a paused recurring job (or one registered with <see cref="RecurringJobOptions.Enabled"/> = <see langword="false"/>).
    /// Its next slot is the first one after now: slots that came while it was paused do not run, whatever the misfire policy.
    /// </summary>
    /// <param name="name">The recurring job's name (case-sensitive).</param>
    /// <returns><see langword="true"/> when it was paused and now runs on its schedule; <see langword="false"/> when it was not paused.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No recurring job has that name (the message lists the names there are).</exception>
    bool ResumeRecurring(string name);

    /// <summary>Gets when the recurring jobs' timer last fired: a heartbeat for health checks.</summary>
    /// <value>
    /// A UTC instant, or <see langword="null"/> before the timer first fired (or when no recurring job is registered).
    /// The timer fires for every due slot and at least once a day, so a health check can flag a heartbeat older than a
    /// day, or any schedule that is not paused whose <see cref="RecurringJobSnapshot.NextRunAt"/> is well in the past.
    /// The gauge <c>inproc.recurring.last_tick</c> reports the same instant.
    /// </value>
    DateTimeOffset? LastRecurringTick { get; }
}
