using InProc.Hosting;
using InProc.Recurring;
using InProc.Store;

namespace InProc.Monitoring;

/// <summary>Reads the store and the queues for <see cref="IJobMonitor"/>; re-runs go through the runtime's one path.</summary>
internal sealed class JobMonitor(InProcRuntime runtime) : IJobMonitor
{
    public JobSnapshot? GetJob(JobId id) => runtime.Store.Find(id, runtime.Time.GetUtcNow());

    public JobDetail? GetJobDetail(JobId id) => runtime.Store.FindDetail(id, runtime.Time.GetUtcNow());

    public bool RunNow(JobId id) => runtime.RunNow(id);

    public JobPage GetJobs(JobQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return runtime.Store.Query(query, runtime.Time.GetUtcNow());
    }

    public IReadOnlyList<QueueSnapshot> GetQueues() =>
        [.. runtime.Queues.Select(q => new QueueSnapshot(q.Name, q.Workers, q.Capacity, q.FullMode, q.Waiting, q.Running))];

    public IReadOnlyList<HostSnapshot> GetHosts()
    {
        if (runtime.Store is IHostDirectory directory)
        {
            return directory.GetHosts();
        }

        var queues = runtime.Queues;
        var now = runtime.Time.GetUtcNow();
        return [new HostSnapshot(runtime.HostName, runtime.StartedAt ?? now, now,
            queues.ToDictionary(q => q.Name, q => q.Workers, StringComparer.Ordinal), queues.Sum(q => q.Running), isCurrent: true)];
    }

    public IReadOnlyList<DeadLetter> GetDeadLetters() => runtime.Store.GetDeadLetters();

    public bool RequeueDeadLetter(JobId id) => runtime.Requeue(id);

    public int PurgeDeadLetters() => runtime.Store.PurgeDeadLetters();

    public IReadOnlyList<RecurringJobSnapshot> GetRecurringJobs() => runtime.Recurring?.GetSnapshots() ?? [];

    public JobId? TriggerRecurring(string name) => Recurring(name).Trigger(name);

    public bool PauseRecurring(string name) => Recurring(name).Pause(name);

    public bool ResumeRecurring(string name) => Recurring(name).Resume(name);

    public DateTimeOffset? LastRecurringTick => runtime.Recurring?.LastTick;

    private RecurringRunner Recurring(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return runtime.Recurring ?? throw new ArgumentException(RecurringRunner.UnknownMessage(name, []), nameof(name));
    }
}
