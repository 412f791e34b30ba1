namespace InProc.Limits;

/// <summary>
/// What one job holds or waits for under its registration's limits: its unique key, its concurrency and rate keys
/// (read from the message once), whether it holds a concurrency permit, and why and since when it waits. Allocated only
/// for jobs of a registration with limits, so a plain job carries one null reference.
/// </summary>
internal sealed class LimitState
{
    private int _permit;
    private int _waiting; // 0 = not waiting, else (int)JobWaitReason + 1
    private long _waitStartedTicks;

    /// <summary>The unique key this job claimed, or null (no UniqueBy, or not claimed).</summary>
    public UniqueKey? Unique { get; init; }

    public UniqueScope Scope { get; init; }

    public bool KeysRead { get; private set; }

    public string? ConcurrencyKey { get; private set; }

    public string? RateKey { get; private set; }

    public JobWaitReason? WaitingOn => Volatile.Read(ref _waiting) is var w and > 0 ? (JobWaitReason)(w - 1) : null;

    public void SetKeys(string? concurrencyKey, string? rateKey)
    {
        ConcurrencyKey = concurrencyKey;
        RateKey = rateKey;
        KeysRead = true;
    }

    public bool HoldsPermit => Volatile.Read(ref _permit) == 1;

    public void TakePermit() => Volatile.Write(ref _permit, 1);

    /// <summary>Gives the permit back exactly once, whoever asks first (the attempt's end, a cancel, an abandon).</summary>
    public bool TryReturnPermit() => Interlocked.Exchange(ref _permit, 0) == 1;

    /// <summary>Marks the job as waiting on <paramref name="reason"/>; the first wait's start is kept until the job starts.</summary>
    public void MarkWaiting(JobWaitReason reason, long nowTicks)
    {
        Volatile.Write(ref _waiting, (int)reason + 1);
        Interlocked.CompareExchange(ref _waitStartedTicks, nowTicks, 0);
    }

    /// <summary>The job started or ended: no longer waiting. Returns when its wait started (0 when it never waited).</summary>
    public long EndWait()
    {
        Volatile.Write(ref _waiting, 0);
        return Interlocked.Exchange(ref _waitStartedTicks, 0);
    }
}
