using System.Diagnostics;

namespace InProc.Execution;

/// <summary>
/// One job on its way through the runtime: the message (in the generic subclass), its id, attempt, timestamps
/// and the trace context of the code that enqueued it. It is also the job's monitor record: every state change
/// goes through <see cref="Monitoring.JobTracker"/>, which a durable store can observe later.
/// </summary>
/// <remarks>
/// A backlog of a million jobs is a million envelopes, so fields are kept small: times are UTC ticks (0 = none),
/// and the trace context is boxed only when there is an activity to carry.
/// </remarks>
internal abstract class Envelope
{
    private readonly long _createdAtTicks;
    private readonly object? _traceParent;
    private int _state;
    private long _dueAtTicks;
    private long _startedAtTicks;
    private long _finishedAtTicks;
    private double _progress = double.NaN;

    private protected Envelope(JobRegistration registration, JobId id, DateTimeOffset createdAt)
    {
        Registration = registration;
        Id = id;
        _createdAtTicks = createdAt.UtcTicks;
        Attempt = 1;
        if (Activity.Current is { } activity)
        {
            _traceParent = activity.Context;
        }
    }

    public JobRegistration Registration { get; }

    public JobId Id { get; }

    public DateTimeOffset CreatedAt => new(_createdAtTicks, TimeSpan.Zero);

    public ActivityContext TraceParent => _traceParent is ActivityContext context ? context : default;

    /// <summary>The attempt that is running, or the next one to run. 1-based.</summary>
    public int Attempt { get; set; }

    public JobState State => (JobState)Volatile.Read(ref _state);

    public DateTimeOffset? DueAt
    {
        get => FromTicks(Volatile.Read(ref _dueAtTicks));
        set => Volatile.Write(ref _dueAtTicks, value?.UtcTicks ?? 0);
    }

    public DateTimeOffset? StartedAt
    {
        get => FromTicks(Volatile.Read(ref _startedAtTicks));
        set => Volatile.Write(ref _startedAtTicks, value?.UtcTicks ?? 0);
    }

    public DateTimeOffset? FinishedAt
    {
        get => FromTicks(Volatile.Read(ref _finishedAtTicks));
        set => Volatile.Write(ref _finishedAtTicks, value?.UtcTicks ?? 0);
    }

    /// <summary>Due time in UTC ticks, for the scheduler's heap.</summary>
    public long DueAtTicks => Volatile.Read(ref _dueAtTicks);

    /// <summary>The last failure; kept after a later attempt succeeds, cleared on a dead-letter re-run.</summary>
    public Exception? Error { get; set; }

    public double? Progress
    {
        get => double.IsNaN(_progress) ? null : _progress;
        set => _progress = value ?? double.NaN;
    }

    public string? ProgressStatus { get; set; }

    /// <summary>Tie-breaker among envelopes due at the same time: first scheduled, first run.</summary>
    public long ScheduleSequence { get; set; }

    public abstract object Message { get; }

    /// <summary>Resolves <c>IJob&lt;TMessage&gt;</c> from <paramref name="services"/> and runs it: a virtual call, no reflection.</summary>
    public abstract Task RunJobAsync(IServiceProvider services, JobContext context);

    /// <summary>Moves to <paramref name="to"/> only if the state is still <paramref name="from"/>.</summary>
    public bool TryTransition(JobState from, JobState to) =>
        Interlocked.CompareExchange(ref _state, (int)to, (int)from) == (int)from;

    public void SetState(JobState to) => Volatile.Write(ref _state, (int)to);

    private static DateTimeOffset? FromTicks(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
}
