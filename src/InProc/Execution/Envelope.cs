using System.Diagnostics;

namespace InProc.Execution;

/// <summary>
/// One job on its way through the runtime, and the record a store writes and reads back: id, registration
/// (stable message type name, queue name, retry policy), message (in the generic subclass), attempt, due time,
/// state, timestamps and the trace context of the code that enqueued it. It holds no queue object: the
/// dispatcher finds the queue by <see cref="JobRegistration.QueueIndex"/>.
/// </summary>
/// <remarks>
/// State and attempt share one 64-bit word, so a transition is one compare-and-set on (state, attempt): the
/// guard <c>Lifecycle.JobLifecycle</c> relies on. Fields a transition carries (due time, error, timestamps) are
/// written before the compare-and-set; a reader reads the state first. Times are UTC ticks, 0 = none.
/// </remarks>
internal abstract class Envelope
{
    private readonly long _createdAtTicks;
    private readonly object? _traceParent;
    private long _stateAndAttempt;
    private long _dueAtTicks;
    private long _startedAtTicks;
    private long _finishedAtTicks;
    private ProgressReport? _progress; // allocated only by a job that reports progress
    private int _holdsSlot;
    private List<JobAttempt>? _failures; // allocated by the first failure only

    private protected Envelope(JobRegistration registration, JobId id, DateTimeOffset createdAt, int attempt, bool captureTrace)
    {
        Registration = registration;
        Id = id;
        _createdAtTicks = createdAt.UtcTicks;
        _stateAndAttempt = Pack(JobState.Enqueued, attempt);

        // Trace context is captured only when someone listens: an Activity exists only then.
        if (captureTrace && Activity.Current is { } activity)
        {
            _traceParent = activity.Context;
        }
    }

    public JobRegistration Registration { get; }

    public JobId Id { get; }

    public DateTimeOffset CreatedAt => new(_createdAtTicks, TimeSpan.Zero);

    public ActivityContext TraceParent => _traceParent is ActivityContext context ? context : default;

    /// <summary>The attempt that is running, or the next one to run. 1-based.</summary>
    public int Attempt => (int)(Volatile.Read(ref _stateAndAttempt) >> 32);

    public JobState State => (JobState)(int)Volatile.Read(ref _stateAndAttempt);

    public DateTimeOffset? DueAt
    {
        get => FromTicks(Volatile.Read(ref _dueAtTicks));
        set => Volatile.Write(ref _dueAtTicks, value?.UtcTicks ?? 0);
    }

    public long DueAtTicks => Volatile.Read(ref _dueAtTicks);

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

    /// <summary>The failure of the last attempt; shown while it matters (Retrying, Failed), cleared by a re-run.</summary>
    public Exception? Error { get; set; }

    public double? Progress => Volatile.Read(ref _progress)?.Fraction;

    public string? ProgressStatus => Volatile.Read(ref _progress)?.Status;

    /// <summary>
    /// The attempt that re-runs this job after an earlier process died while it ran (set by a durable store's
    /// recovery); 0 for none. <see cref="JobContext.IsRecovery"/> is true for that attempt only.
    /// </summary>
    public int RecoveredAttempt { get; set; }

    /// <summary>
    /// What the job holds or waits for under its registration's unique key and limits; null for a job without any
    /// (set once, by admission for a unique key or by the first limit check, before anyone else reads it).
    /// </summary>
    public Limits.LimitState? Limits { get; set; }

    /// <summary>The unique key the job holds, for a store to write with it; null when it has none.</summary>
    public Limits.UniqueKey? UniqueKey => Limits?.Unique;

    /// <summary>The finished-record slot this job last wrote, so a re-run can retire it (-1 = none).</summary>
    public int FinishedSlot { get; set; } = -1;

    /// <summary>The message, or null once the job was cancelled (a cancelled job must not keep its message alive).</summary>
    public abstract object? Message { get; }

    /// <summary>Resolves <c>IJob&lt;TMessage&gt;</c> from <paramref name="services"/> and runs it: a virtual call, no reflection.</summary>
    public abstract Task RunJobAsync(IServiceProvider services, JobContext context);

    /// <summary>The boxed trace context (null when nothing was traced), for records that keep it without a copy.</summary>
    public object? TraceParentBox => _traceParent;

    /// <summary>The failed attempts so far, oldest first (a copy).</summary>
    public JobAttempt[] Failures
    {
        get
        {
            var failures = Volatile.Read(ref _failures);
            if (failures is null)
            {
                return [];
            }

            lock (failures)
            {
                return [.. failures];
            }
        }
    }

    /// <summary>Records a failed attempt; the list is allocated by the first failure, so success costs nothing.</summary>
    public void AddFailure(JobAttempt attempt)
    {
        var failures = Volatile.Read(ref _failures) ?? Interlocked.CompareExchange(ref _failures, new List<JobAttempt>(), null) ?? _failures!;
        lock (failures)
        {
            failures.Add(attempt);
        }
    }

    /// <summary>Records progress as one object, so a reader never sees one report's fraction with another's status.</summary>
    public void ReportProgress(double fraction, string? status) => Volatile.Write(ref _progress, new ProgressReport(fraction, status));

    /// <summary>Forgets the progress of an earlier run (a dead letter's re-run).</summary>
    public void ClearProgress() => Volatile.Write(ref _progress, null);

    /// <summary>Drops the message of a job that will never run.</summary>
    public abstract void ReleaseMessage();

    /// <summary>The compare-and-set every transition goes through: (state, attempt) → (state, attempt).</summary>
    public bool TryTransition(JobState from, int fromAttempt, JobState to, int toAttempt) =>
        Interlocked.CompareExchange(ref _stateAndAttempt, Pack(to, toAttempt), Pack(from, fromAttempt)) == Pack(from, fromAttempt);

    /// <summary>Marks the envelope as holding one of its queue's capacity slots.</summary>
    public void TakeSlot() => Volatile.Write(ref _holdsSlot, 1);

    /// <summary>Gives the slot back exactly once (a worker took it, or it was cancelled or abandoned while queued).</summary>
    public bool TryReleaseSlot() => Interlocked.Exchange(ref _holdsSlot, 0) == 1;

    private sealed record ProgressReport(double Fraction, string? Status);

    private static long Pack(JobState state, int attempt) => ((long)attempt << 32) | (uint)state;

    private static DateTimeOffset? FromTicks(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
}
