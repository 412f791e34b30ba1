using System.Collections.Frozen;
using InProc.Execution;

namespace InProc.Recurring;

/// <summary>
/// One schedule's live state in the <see cref="RecurringRunner"/>. Everything but <see cref="Unfinished"/> and
/// <see cref="HasHeldSlot"/> is read and written under <c>lock (entry)</c>; the runner's heap lock may be taken
/// inside it, never the other way round.
/// </summary>
internal sealed class RecurringEntry
{
    private int _unfinished;
    private int _hasHeldSlot;

    private RecurringEntry(RecurringJobRegistration registration, RecurringSchedule schedule, JobRegistration jobRegistration, int order)
    {
        Registration = registration;
        Schedule = schedule;
        JobRegistration = jobRegistration;
        Order = order;
    }

    public RecurringJobRegistration Registration { get; }

    public string Name => Registration.Name;

    public RecurringJobOptions Options => Registration.Options;

    public RecurringSchedule Schedule { get; }

    /// <summary>The registration a run's envelope gets: the job's own, or a copy on the schedule's queue.</summary>
    public JobRegistration JobRegistration { get; }

    /// <summary>The position among the registrations: the heap's tie-break and the monitor's order.</summary>
    public int Order { get; }

    /// <summary>The newest slot that came due (run or skipped), or the instant the schedule was armed: the planner's <c>after</c>.</summary>
    public DateTimeOffset After { get; set; }

    /// <summary>The slot the timer is armed for; null while paused or when the expression fires no more.</summary>
    public DateTimeOffset? Next { get; set; }

    public bool Paused { get; set; }

    /// <summary>Bumped by a pause or a resume: heap nodes pushed before it are stale and dropped when they come up.</summary>
    public int Version { get; set; }

    /// <summary>The slot of the last run enqueued (for a triggered run, the time of the trigger).</summary>
    public DateTimeOffset? LastSlot { get; set; }

    public JobId? LastJobId { get; set; }

    /// <summary><see cref="OverlapPolicy.Queue"/>: the claimed slot that waits for the unfinished run to end (at most one).</summary>
    public DateTimeOffset? HeldSlot
    {
        get;
        set
        {
            field = value;
            Volatile.Write(ref _hasHeldSlot, value is null ? 0 : 1);
        }
    }

    /// <summary>Whether a slot is held, read without the lock by the change feed's observer.</summary>
    public bool HasHeldSlot => Volatile.Read(ref _hasHeldSlot) == 1;

    /// <summary>Runs enqueued and not yet in a terminal state; changed by the change feed without the lock.</summary>
    public int Unfinished => Volatile.Read(ref _unfinished);

    public void RunStarted() => Interlocked.Increment(ref _unfinished);

    public void RunEnded() => Interlocked.Decrement(ref _unfinished);

    /// <summary>
    /// Builds every schedule from registrations that passed start-up validation. A schedule whose queue differs from
    /// its job's gets its own copy of the job's registration (same retry and timeout) on that queue.
    /// </summary>
    public static RecurringEntry[] Build(IReadOnlyList<RecurringJobRegistration> registrations, FrozenDictionary<Type, JobRegistration> registry, IReadOnlyList<QueueOptions> queues)
    {
        var entries = new RecurringEntry[registrations.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var registration = registrations[i];
            var own = registry[registration.MessageType!];
            var job = own;
            if (registration.Options.Queue is { } queue && !string.Equals(queue, own.QueueName, StringComparison.Ordinal))
            {
                job = JobRegistration.Create(own.MessageType, own.JobType, queue, own.Retry, own.Timeout);
                job.QueueIndex = IndexOf(queues, queue);
            }

            entries[i] = new RecurringEntry(registration, RecurringSchedule.Create(registration.Name, registration.Expression, registration.Options.TimeZone), job, i);
        }

        return entries;
    }

    private static int IndexOf(IReadOnlyList<QueueOptions> queues, string name)
    {
        for (var i = 0; i < queues.Count; i++)
        {
            if (string.Equals(queues[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
