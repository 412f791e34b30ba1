using InProc.Execution;
using InProc.Hosting;

namespace InProc.Monitoring;

/// <summary>Reads the runtime's records for <see cref="IJobMonitor"/>.</summary>
internal sealed class JobMonitor(InProcRuntime runtime) : IJobMonitor
{
    public JobSnapshot? GetJob(JobId id)
    {
        if (runtime.Tracker.Find(id) is { } envelope)
        {
            return Snapshot(envelope);
        }

        // A dead letter outlives its finished record: keep it visible for as long as it can be re-run.
        return runtime.DeadLetters.Find(id) is { } letter
            ? new JobSnapshot(letter.Id, letter.Message.GetType().Name, letter.Queue, JobState.Failed, letter.Attempts, letter.Attempts, letter.EnqueuedAt, null, letter.FailedAt, null, null, null, letter.ExceptionType, letter.ExceptionMessage)
            : null;
    }

    public JobPage GetJobs(JobQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);

        // Naive on purpose: a scan of the index, sorted by id. The store seam (issue 8) replaces it.
        var matching = runtime.Tracker.All()
            .Where(e => (query.State is not { } state || e.State == state) && (query.Queue is null || e.Registration.QueueName == query.Queue))
            .ToList();
        matching.Sort((a, b) => query.OldestFirst ? a.Id.CompareTo(b.Id) : b.Id.CompareTo(a.Id));
        JobSnapshot[] items = [.. matching.Skip(query.Skip).Take(query.Take).Select(Snapshot)];
        return new JobPage(items, matching.Count, query.Skip, query.Take);
    }

    public IReadOnlyList<QueueSnapshot> GetQueues() =>
        [.. runtime.Queues.Select(q => new QueueSnapshot(q.Name, q.Workers, q.Capacity, q.FullMode, q.Waiting, q.Running))];

    public IReadOnlyList<DeadLetter> GetDeadLetters() => runtime.DeadLetters.Snapshot();

    public bool RequeueDeadLetter(JobId id) => runtime.Requeue(id);

    public int PurgeDeadLetters() => runtime.DeadLetters.Purge();

    private static JobSnapshot Snapshot(Envelope envelope)
    {
        // Read the state first: the other fields are written before each transition, so they are at least as new.
        var state = envelope.State;
        var error = envelope.Error;
        return new JobSnapshot(
            envelope.Id,
            envelope.Registration.MessageType.Name,
            envelope.Registration.QueueName,
            state,
            envelope.Attempt,
            envelope.Registration.Retry.MaxAttempts,
            envelope.CreatedAt,
            envelope.StartedAt,
            envelope.FinishedAt,
            state is JobState.Scheduled or JobState.Retrying ? envelope.DueAt : null,
            envelope.Progress,
            envelope.ProgressStatus,
            error?.GetType().FullName,
            error?.Message);
    }
}
