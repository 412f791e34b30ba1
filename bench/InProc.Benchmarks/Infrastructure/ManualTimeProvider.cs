namespace InProc.Benchmarks.Infrastructure;

/// <summary>
/// A minimal fake clock for the scheduler benchmarks: the time moves only when <see cref="SetUtcNow"/> is called, and
/// a timer fires only when the benchmark calls <see cref="ManualTimer.Fire"/> (on the benchmark's thread). So firing
/// is measured without waiting for real time and without the thread pool hop of a system timer.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _nowTicks = start.UtcTicks;

    /// <summary>The last timer created: the runtime creates exactly one, its scheduler's.</summary>
    public ManualTimer? LastTimer { get; private set; }

    public override DateTimeOffset GetUtcNow() => new(Volatile.Read(ref _nowTicks), TimeSpan.Zero);

    public void SetUtcNow(DateTimeOffset now) => Volatile.Write(ref _nowTicks, now.UtcTicks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(callback, state, dueTime);
        LastTimer = timer;
        return timer;
    }
}

/// <summary>A timer that records what it was armed for and fires when told to.</summary>
public sealed class ManualTimer(TimerCallback callback, object? state, TimeSpan dueTime) : ITimer
{
    /// <summary>The due time of the last <see cref="Change"/>; infinite when disarmed.</summary>
    public TimeSpan DueTime { get; private set; } = dueTime;

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        DueTime = dueTime;
        return true;
    }

    /// <summary>Runs the callback now, as the system timer would when due.</summary>
    public void Fire() => callback(state);

    public void Dispose() => DueTime = Timeout.InfiniteTimeSpan;

    public ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }
}
