using System.Collections.Concurrent;

namespace InProc.StressTests.Support;

/// <summary>
/// The test's own books: every id a caller got back, and every outcome the job bodies, the hooks and the callers of
/// <c>Cancel</c> and <c>RequeueDeadLetter</c> reported for any id. Thread-safe; written from jobs, hooks and producers.
/// </summary>
internal sealed class Ledger
{
    private const int MaxProblemsListed = 25;

    private readonly ConcurrentDictionary<JobId, Tally> _tallies = new();
    private readonly ConcurrentDictionary<JobId, byte> _accepted = new();
    private readonly ProgressCounter _settled = new();
    private readonly ProgressCounter _succeeded = new();
    private int _duplicateIds;

    /// <summary>Ids handed out twice (a caller got an id another caller already had).</summary>
    public int DuplicateIds => Volatile.Read(ref _duplicateIds);

    public int AcceptedCount => _accepted.Count;

    public ICollection<JobId> Accepted => _accepted.Keys;

    /// <summary>Ids with at least one outcome.</summary>
    public int Settled => _settled.Count;

    /// <summary>Released by the test: <see cref="WorkKind.WaitForGate"/> jobs wait for it.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when a <see cref="WorkKind.WaitForGate"/> job starts.</summary>
    public TaskCompletionSource GateEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Accept(JobId id)
    {
        if (!_accepted.TryAdd(id, 0))
        {
            Interlocked.Increment(ref _duplicateIds);
        }
    }

    public Tally Of(JobId id) => _tallies.GetOrAdd(id, static _ => new Tally());

    /// <summary>A job body started; returns which run of this id it is (1 for the first).</summary>
    public int Ran(JobId id) => Interlocked.Increment(ref Of(id).Ran);

    public void Succeeded(JobId id)
    {
        var tally = Of(id);
        Settle(tally, ref tally.Succeeded);
        _succeeded.Increment();
    }

    /// <summary>A call to <c>Cancel</c> returned true.</summary>
    public void Cancelled(JobId id)
    {
        var tally = Of(id);
        Settle(tally, ref tally.Cancelled);
    }

    public void Requeued(JobId id) => Interlocked.Increment(ref Of(id).Requeued);

    /// <summary>
    /// The <see cref="InProcOptions.OnJobFailed"/> hook: only a failure that dead-letters the job is an outcome (one
    /// that fails while stopping, with retries left, is abandoned instead and reported through OnAbandoned).
    /// </summary>
    public void Failed(JobFailedArguments failure)
    {
        if (failure.DeadLettered)
        {
            var tally = Of(failure.Id);
            Settle(tally, ref tally.DeadLettered);
        }
    }

    /// <summary>The <see cref="InProcOptions.OnAbandoned"/> hook.</summary>
    public void Abandoned(JobAbandonedArguments abandoned)
    {
        var tally = Of(abandoned.Id);
        if (abandoned.Reason == AbandonReason.QueueFull)
        {
            Interlocked.Increment(ref tally.AbandonedForQueueFull);
        }

        Settle(tally, ref tally.Abandoned);
    }

    /// <summary>
    /// Waits until <paramref name="expected"/> ids have an outcome. Gives up (false) when no id settles for
    /// <paramref name="quiet"/>: a missing outcome is then reported by <see cref="Audit"/>, not waited for forever.
    /// </summary>
    public Task<bool> WaitSettledAsync(int expected, TimeSpan quiet) => _settled.WaitForAsync(expected, quiet);

    /// <summary>Waits until job bodies recorded <paramref name="expected"/> successes (re-runs count again).</summary>
    public Task<bool> WaitSucceededAsync(int expected, TimeSpan quiet) => _succeeded.WaitForAsync(expected, quiet);

    /// <summary>
    /// Accounts every accepted id exactly once against the ledger, the dead letters and the monitor's state, and lists
    /// every id with an outcome that no caller got back (a job created by a call that threw or returned false).
    /// </summary>
    public Audit Audit(IJobMonitor monitor)
    {
        var deadLetters = monitor.GetDeadLetters().Select(d => d.Id).ToHashSet();
        var problems = new List<string>();
        int problemCount = 0, succeeded = 0, failed = 0, cancelled = 0, abandoned = 0, abandonedForQueueFull = 0, runs = 0;
        void Problem(string text)
        {
            if (++problemCount <= MaxProblemsListed)
            {
                problems.Add(text);
            }
        }

        foreach (var id in _accepted.Keys)
        {
            var tally = _tallies.GetValueOrDefault(id) ?? new Tally();
            runs += tally.Ran;
            var state = monitor.GetJob(id)?.State;
            var kinds = tally.OutcomeKinds;
            if (kinds == 0)
            {
                Problem($"{id}: no outcome (missing); monitor says {state?.ToString() ?? "unknown"}; {tally}");
                continue;
            }

            if (kinds > 1 || tally.Terminal > 1)
            {
                Problem($"{id}: accounted {tally.Terminal} times; monitor says {state?.ToString() ?? "unknown"}; {tally}");
                continue;
            }

            JobState expected;
            if (tally.Succeeded == 1)
            {
                succeeded++;
                expected = JobState.Succeeded;
            }
            else if (tally.DeadLettered == 1)
            {
                failed++;
                expected = JobState.Failed;
            }
            else if (tally.Cancelled == 1)
            {
                cancelled++;
                expected = JobState.Cancelled;
            }
            else
            {
                abandoned++;
                abandonedForQueueFull += tally.AbandonedForQueueFull;
                expected = JobState.Abandoned;
            }

            if (state != expected)
            {
                Problem($"{id}: accounted {expected} but the monitor says {state?.ToString() ?? "unknown"}; {tally}");
            }

            if (deadLetters.Contains(id) != (expected == JobState.Failed))
            {
                Problem($"{id}: accounted {expected} but {(deadLetters.Contains(id) ? "is" : "is not")} in the dead letters; {tally}");
            }
        }

        foreach (var (id, tally) in _tallies)
        {
            if (!_accepted.ContainsKey(id))
            {
                Problem($"{id}: no caller got this id back, yet {tally}");
            }
        }

        foreach (var id in deadLetters.Where(id => !_accepted.ContainsKey(id)))
        {
            Problem($"{id}: in the dead letters, but no caller got this id back");
        }

        return new Audit(_accepted.Count, succeeded, failed, cancelled, abandoned, abandonedForQueueFull, runs, problemCount, problems);
    }

    private void Settle(Tally tally, ref int outcome)
    {
        Interlocked.Increment(ref outcome);
        if (Interlocked.Increment(ref tally.Terminal) == 1)
        {
            _settled.Increment();
        }
    }
}
