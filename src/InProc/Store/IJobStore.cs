using InProc.Execution;

namespace InProc.Store;

/// <summary>
/// Where job state lives. <see cref="Lifecycle.JobLifecycle"/> is its only writer; the monitor reads it.
/// See Store/README.md for what each store (memory, SQLite journal, PostgreSQL) must guarantee.
/// </summary>
internal interface IJobStore
{
    /// <summary>
    /// Records a new job (state <see cref="JobState.Enqueued"/> or <see cref="JobState.Scheduled"/>). Completes
    /// when the job is as durable as the store makes it: at once in memory, after the commit that holds it in a
    /// journal or a database. Throws when it could not be stored: then the caller's enqueue throws too.
    /// </summary>
    ValueTask AddAsync(Envelope envelope, CancellationToken cancellationToken);

    /// <summary>Removes a job that was never admitted (a full queue refused it, its caller's wait was cancelled).</summary>
    void Forget(Envelope envelope);

    /// <summary>
    /// Applies one guarded transition: succeeds only if the job is still in (<see cref="JobTransition.From"/>,
    /// <see cref="JobTransition.FromAttempt"/>). The fields the transition carries (due time, error, timestamps)
    /// are on the envelope already. False means someone else moved the job on (cancel, shutdown) or, for a shared
    /// store, this host lost its lease: the caller drops its result.
    /// </summary>
    ValueTask<bool> TransitionAsync(Envelope envelope, JobTransition transition);

    /// <summary>The live envelope of a job that has not finished, or a dead letter's.</summary>
    Envelope? FindActive(JobId id);

    /// <summary>A snapshot of a job, active or retained after it finished; null when unknown or forgotten.</summary>
    JobSnapshot? Find(JobId id, DateTimeOffset now);

    /// <summary>A job's detail: snapshot, message while active or dead, failed attempts, trace id; null when unknown.</summary>
    JobDetail? FindDetail(JobId id, DateTimeOffset now);

    /// <summary>A page of jobs by state and queue.</summary>
    JobPage Query(JobQuery query, DateTimeOffset now);

    /// <summary>Adds a dead letter; returns the one pushed out when the list was full.</summary>
    DeadLetter? AddDeadLetter(Envelope envelope, DeadLetter letter);

    /// <summary>Removes a dead letter for a re-run; only one caller gets it.</summary>
    Envelope? TakeDeadLetter(JobId id);

    IReadOnlyList<DeadLetter> GetDeadLetters();

    int PurgeDeadLetters();

    /// <summary>Jobs known now: active ones and retained finished ones (for tests and the bounded-memory checks).</summary>
    int Count { get; }
}
