using Microsoft.Extensions.DependencyInjection;

namespace InProc.AspNetCore.Tests.Support;

/// <summary>
/// The real monitor, except that after <see cref="Freeze"/> its recurring view stops moving: the schedules and the
/// heartbeat stay as they were, as when the recurring timer died, while the clock goes on.
/// </summary>
internal sealed class FrozenRecurringMonitor(IJobMonitor inner) : IJobMonitor
{
    private (IReadOnlyList<RecurringJobSnapshot> Schedules, DateTimeOffset? Tick)? _frozen;

    public DateTimeOffset? LastRecurringTick => _frozen is { } f ? f.Tick : inner.LastRecurringTick;

    /// <summary>Replaces the container's <see cref="IJobMonitor"/> with one of these around the real one.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var real = services.Single(d => d.ServiceType == typeof(IJobMonitor));
        services.Remove(real);
        var type = real.ImplementationType ?? throw new InvalidOperationException("expected the monitor registered by type");
        services.AddSingleton(type);
        services.AddSingleton<FrozenRecurringMonitor>(sp => new FrozenRecurringMonitor((IJobMonitor)sp.GetRequiredService(type)));
        services.AddSingleton<IJobMonitor>(sp => sp.GetRequiredService<FrozenRecurringMonitor>());
    }

    public void Freeze() => _frozen = (inner.GetRecurringJobs(), inner.LastRecurringTick);

    public IReadOnlyList<RecurringJobSnapshot> GetRecurringJobs() => _frozen is { } f ? f.Schedules : inner.GetRecurringJobs();

    public JobSnapshot? GetJob(JobId id) => inner.GetJob(id);

    public JobDetail? GetJobDetail(JobId id) => inner.GetJobDetail(id);

    public bool RunNow(JobId id) => inner.RunNow(id);

    public JobPage GetJobs(JobQuery query) => inner.GetJobs(query);

    public IReadOnlyList<QueueSnapshot> GetQueues() => inner.GetQueues();

    public IReadOnlyList<DeadLetter> GetDeadLetters() => inner.GetDeadLetters();

    public IReadOnlyList<HostSnapshot> GetHosts() => inner.GetHosts();

    public bool RequeueDeadLetter(JobId id) => inner.RequeueDeadLetter(id);

    public int PurgeDeadLetters() => inner.PurgeDeadLetters();

    public JobId? TriggerRecurring(string name) => inner.TriggerRecurring(name);

    public bool PauseRecurring(string name) => inner.PauseRecurring(name);

    public bool ResumeRecurring(string name) => inner.ResumeRecurring(name);
}
