namespace InProc;

/// <summary>What is happening: job status for <c>202 Accepted</c> status pages, queue depths, dead letters.</summary>
public interface IJobMonitor
{
    /// <summary>Gets a job's current state.</summary>
    /// <param name="id">The id <see cref="IJobQueue.EnqueueAsync{TMessage}"/> returned.</param>
    /// <returns>A snapshot, or <see langword="null"/> when the job is unknown or its finished record was forgotten (see <see cref="InProcOptions.FinishedJobRetention"/>).</returns>
    JobSnapshot? GetJob(JobId id);

    /// <summary>Gets one page of the jobs known now (active and retained finished ones), newest first by id unless <see cref="JobQuery.OldestFirst"/>.</summary>
    /// <param name="query">The filter and the page.</param>
    /// <returns>The page and how many jobs matched in all.</returns>
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
}
