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
    private long _stateAndAttempt;
    private long _dueAtTicks;
    private long _startedAtTicks;
    private long _finishedAtTicks;
    private Rare? _rare; // what few jobs carry (trace context, progress, failures, error, limits, recovery): allocated by the first of them
    private int _holdsSlot;

    private protected Envelope(JobRegistration registration, JobId id, DateTimeOffset createdAt, int attempt, bool captureTrace)
    {
        Registration = registration;
        Id = id;
        _createdAtTicks = createdAt.UtcTicks;
        _stateAndAttempt = Pack(JobState.Enqueued, attempt);

        // Trace context is captured only when someone listens: an Activity exists only then.
        if (captureTrace && Activity.Current is { } activity)
        {
            _rare = new Rare { TraceParent = activity.Context };
        }
    }

    public JobRegistration Registration { get; }

    public JobId Id { get; }

    public DateTimeOffset CreatedAt => new(_createdAtTicks, TimeSpan.Zero);

    public long CreatedAtTicks => _createdAtTicks;

    /// <summary>UTC ticks of <see cref="StartedAt"/>, 0 = none.</summary>
    public long StartedAtTicks => Volatile.Read(ref _startedAtTicks);

    /// <summary>UTC ticks of <see cref="FinishedAt"/>, 0 = none.</summary>
    public long FinishedAtTicks => Volatile.Read(ref _finishedAtTicks);

    public ActivityContext TraceParent => Volatile.Read(ref _rare)?.TraceParent is ActivityContext context ? context : default;

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
    public Exception? Error
    {
        get => Volatile.Read(ref _rare)?.Error;
        set
        {
            if (value is not null || Volatile.Read(ref _rare) is not null)
            {
                GetRare().Error = value;
            }
        }
    }

    public double? Progress => ReadProgress()?.Fraction;

    public string? ProgressStatus => ReadProgress()?.Status;

    /// <summary>
    /// The attempt that re-runs this job after an earlier process died while it ran (set by a durable store's
    /// recovery); 0 for none. <see cref="JobContext.IsRecovery"/> is true for that attempt only.
    /// </summary>
    public int RecoveredAttempt
    {
        get => Volatile.Read(ref _rare)?.RecoveredAttempt ?? 0;
        set
        {
            if (value != 0 || Volatile.Read(ref _rare) is not null)
            {
                GetRare().RecoveredAttempt = value;
            }
        }
    }

    /// <summary>
    /// What the job holds or waits for under its registration's unique key and limits; null for a job without any
    /// (set once, by admission for a unique key or by the first limit check, before anyone else reads it).
    /// </summary>
    public Limits.LimitState? Limits
    {
        get => Volatile.Read(ref _rare)?.Limits;
        set
        {
            if (value is not null || Volatile.Read(ref _rare) is not null)
            {
                GetRare().Limits = value;
            }
        }
    }

    /// <summary>The unique key the job holds, for a store to write with it; null when it has none.</summary>
    public Limits.UniqueKey? UniqueKey => Limits?.Unique;

    /// <summary>The finished-record slot this job last wrote, so a re-run can retire it (-1 = none).</summary>
    public int FinishedSlot { get; set; } = -1;

    /// <summary>The message, or null once the job was cancelled (a cancelled job must not keep its message alive).</summary>
    public abstract object? Message { get; }

    /// <summary>Resolves <c>IJob&lt;TMessage&gt;</c> from <paramref name="services"/> and runs it: a virtual call, no reflection.</summary>
    public abstract Task RunJobAsync(IServiceProvider services, JobContext context);

    /// <summary>The boxed trace context (null when nothing was traced), for records that keep it without a copy.</summary>
    public object? TraceParentBox => Volatile.Read(ref _rare)?.TraceParent;

    /// <summary>The failed attempts so far, oldest first (a copy).</summary>
    public JobAttempt[] Failures
    {
        get
        {
            var failures = Volatile.Read(ref _rare)?.Failures;
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
        var rare = GetRare();
        var failures = Volatile.Read(ref rare.Failures) ?? Interlocked.CompareExchange(ref rare.Failures, new List<JobAttempt>(), null) ?? rare.Failures!;
        lock (failures)
        {
            failures.Add(attempt);
        }
    }

    /// <summary>Records progress as one object, so a reader never sees one report's fraction with another's status.</summary>
    public void ReportProgress(double fraction, string? status) => Volatile.Write(ref GetRare().Progress, new ProgressReport(fraction, status));

    /// <summary>Forgets the progress of an earlier run (a dead letter's re-run).</summary>
    public void ClearProgress()
    {
        if (Volatile.Read(ref _rare) is { } rare)
        {
            Volatile.Write(ref rare.Progress, null);
        }
    }

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

    private ProgressReport? ReadProgress() => Volatile.Read(ref _rare) is { } rare ? Volatile.Read(ref rare.Progress) : null;

    /// <summary>The side object, created once (by compare-and-set, so two first writers agree on one).</summary>
    private Rare GetRare() => Volatile.Read(ref _rare) ?? Interlocked.CompareExchange(ref _rare, new Rare(), null) ?? _rare!;

    /// <summary>
    /// The fields most jobs never set, kept apart so the envelope every job allocates stays small (104 bytes instead
    /// of 144 with a reference message): a plain job that succeeds first time allocates none of this.
    /// </summary>
    private sealed class Rare
    {
        public object? TraceParent; // the boxed ActivityContext of the enqueuer; written before the envelope is published
        public ProgressReport? Progress;
        public List<JobAttempt>? Failures;
        public volatile Exception? Error;
        public volatile int RecoveredAttempt;
        public volatile Limits.LimitState? Limits;
    }

    private static long Pack(JobState state, int attempt) => ((long)attempt << 32) | (uint)state;

    private static DateTimeOffset? FromTicks(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
}
