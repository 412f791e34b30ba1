namespace InProc.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock only moves when a test calls <see cref="Advance"/> or
/// <see cref="SetUtcNow"/>. Timers created through it fire synchronously, on the thread that moves the clock.
/// </summary>
/// <remarks>
/// <para>
/// Register it as the application's <see cref="TimeProvider"/> (<c>services.AddSingleton&lt;TimeProvider&gt;(clock)</c>):
/// InProc's scheduled jobs, retries and timeouts then move only when the test moves the clock. In synchronous mode
/// (<see cref="InProcBuilder.UseSynchronousMode()"/>) the jobs that come due run inside <see cref="Advance"/>, in due
/// order, before it returns.
/// </para>
/// <para>
/// Unlike <see cref="System.Threading.Timer"/>, a timer with a zero due time does not fire right away: it fires on
/// the next <see cref="Advance"/> or <see cref="SetUtcNow"/> call, including <c>Advance(TimeSpan.Zero)</c>.
/// </para>
/// </remarks>
public sealed class ManualTimeProvider : TimeProvider
{
    private static readonly DateTimeOffset DefaultStartTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly object _lock = new();

    // Armed, undisposed timers only, so that disarmed timers are not rooted by the provider.
    private readonly List<FakeTimer> _armedTimers = [];
    private readonly List<ActiveTimerWaiter> _waiters = [];
    private long _nowTicks;
    private long _nextTimerSequence;

    /// <summary>Creates a clock that starts at 2026-01-01T00:00:00Z.</summary>
    public ManualTimeProvider()
        : this(DefaultStartTime)
    {
    }

    /// <summary>Creates a clock that starts at <paramref name="startTime"/>.</summary>
    /// <param name="startTime">The initial time; it is converted to UTC.</param>
    public ManualTimeProvider(DateTimeOffset startTime)
    {
        _nowTicks = startTime.UtcTicks;
    }

    /// <summary>Gets the time zone used for local time, which is always UTC.</summary>
    /// <value><see cref="TimeZoneInfo.Utc"/>.</value>
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Gets the frequency of <see cref="GetTimestamp"/>: one timestamp unit is one <see cref="TimeSpan"/> tick.</summary>
    /// <value><see cref="TimeSpan.TicksPerSecond"/>.</value>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Gets the number of timers that are armed and not disposed.</summary>
    /// <value>The count of timers that can still fire.</value>
    public int ActiveTimerCount
    {
        get
        {
            lock (_lock)
            {
                return _armedTimers.Count;
            }
        }
    }

    /// <summary>Gets the fake current time.</summary>
    /// <returns>The current fake time, with a zero offset.</returns>
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _nowTicks), TimeSpan.Zero);

    /// <summary>Gets a timestamp derived from the fake clock, so <see cref="TimeProvider.GetElapsedTime(long)"/> follows <see cref="Advance"/>.</summary>
    /// <returns>The fake current time in ticks.</returns>
    public override long GetTimestamp() => Interlocked.Read(ref _nowTicks);

    /// <summary>
    /// Moves the clock forward by <paramref name="delta"/> and fires every timer that falls due, in due-time order.
    /// </summary>
    /// <remarks>
    /// Before each callback the clock is set to that timer's due time; ties fire in creation order, and a periodic
    /// timer fires once per elapsed period. Timers armed by a callback fire in the same call if they fall due in
    /// range, so a callback that keeps re-arming itself with a zero due time never lets this call return. If a
    /// callback throws, the exception propagates and the clock stays at that timer's due time.
    /// </remarks>
    /// <param name="delta">How far to move the clock; <see cref="TimeSpan.Zero"/> fires only timers already due.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative.</exception>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        long target;
        lock (_lock)
        {
            if (delta.Ticks > DateTimeOffset.MaxValue.UtcTicks - _nowTicks)
            {
                throw new ArgumentOutOfRangeException(nameof(delta), delta, "The clock would pass DateTimeOffset.MaxValue.");
            }

            target = _nowTicks + delta.Ticks;
        }

        AdvanceTo(target);
    }

    /// <summary>
    /// Moves the clock to <paramref name="value"/> and fires every timer that falls due, in due-time order.
    /// </summary>
    /// <param name="value">The new time; it must not be earlier than the current time.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is earlier than the current time.</exception>
    public void SetUtcNow(DateTimeOffset value)
    {
        lock (_lock)
        {
            if (value.UtcTicks < _nowTicks)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(value), value, $"The clock cannot go backwards; it is at {GetUtcNow():O}.");
            }
        }

        AdvanceTo(value.UtcTicks);
    }

    /// <summary>Creates a timer driven by this clock.</summary>
    /// <param name="callback">The callback invoked when the timer fires.</param>
    /// <param name="state">The object passed to <paramref name="callback"/>.</param>
    /// <param name="dueTime">The delay before the first firing; <see cref="Timeout.InfiniteTimeSpan"/> leaves the timer disarmed.</param>
    /// <param name="period">The interval between firings; <see cref="Timeout.InfiniteTimeSpan"/> or zero fires once.</param>
    /// <returns>The timer; change or dispose it like a <see cref="System.Threading.Timer"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="callback"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dueTime"/> or <paramref name="period"/> is negative and not infinite.</exception>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new FakeTimer(this, callback, state, Interlocked.Increment(ref _nextTimerSequence));
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Waits until at least <paramref name="atLeast"/> timers are armed.</summary>
    /// <param name="atLeast">The number of active timers to wait for.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes once <see cref="ActiveTimerCount"/> reaches <paramref name="atLeast"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="atLeast"/> is negative.</exception>
    public Task WaitForActiveTimersAsync(int atLeast, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(atLeast);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        lock (_lock)
        {
            if (_armedTimers.Count >= atLeast)
            {
                return Task.CompletedTask;
            }

            var waiter = new ActiveTimerWaiter(this, atLeast);
            _waiters.Add(waiter);

            // Registering under the lock means the signalling side always sees the registration. If the token is
            // cancelled meanwhile, the callback runs either here (the lock is re-entrant) or on the cancelling
            // thread once we release the lock; neither deadlocks.
            waiter.Registration = cancellationToken.UnsafeRegister(
                static (s, token) =>
                {
                    var w = (ActiveTimerWaiter)s!;
                    w.Provider.CancelWaiter(w, token);
                },
                waiter);
            return waiter.Completion.Task;
        }
    }

    private void CancelWaiter(ActiveTimerWaiter waiter, CancellationToken cancellationToken)
    {
        bool removed;
        lock (_lock)
        {
            removed = _waiters.Remove(waiter);
        }

        // A waiter already taken by ChangeTimer is being completed successfully; leave it alone.
        if (removed)
        {
            waiter.Completion.TrySetCanceled(cancellationToken);
        }
    }

    private void AdvanceTo(long targetTicks)
    {
        while (true)
        {
            TimerCallback callback;
            object? state;
            lock (_lock)
            {
                var next = FindNextDueTimer(targetTicks);
                if (next is null)
                {
                    // Another thread, or a callback, may already have moved the clock further.
                    Interlocked.Exchange(ref _nowTicks, Math.Max(_nowTicks, targetTicks));
                    return;
                }

                Interlocked.Exchange(ref _nowTicks, Math.Max(_nowTicks, next.DueTicks));
                if (!next.Reschedule())
                {
                    _armedTimers.Remove(next);
                }

                callback = next.Callback;
                state = next.State;
            }

            // Outside the lock: the callback may create, change or dispose timers, or wait on other threads that do.
            // If it throws, the exception reaches the caller and the clock stays at this timer's due time.
            callback(state);
        }
    }

    private FakeTimer? FindNextDueTimer(long targetTicks)
    {
        FakeTimer? next = null;
        foreach (var timer in _armedTimers)
        {
            if (timer.DueTicks > targetTicks)
            {
                continue;
            }

            if (next is null
                || timer.DueTicks < next.DueTicks
                || (timer.DueTicks == next.DueTicks && timer.Sequence < next.Sequence))
            {
                next = timer;
            }
        }

        return next;
    }

    private bool ChangeTimer(FakeTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        List<ActiveTimerWaiter>? satisfied = null;
        lock (_lock)
        {
            if (timer.IsDisposed)
            {
                return false;
            }

            _armedTimers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                timer.Disarm();
                return true;
            }

            timer.Arm(SaturatingAdd(_nowTicks, dueTime.Ticks), period);
            _armedTimers.Add(timer);
            satisfied = TakeSatisfiedWaiters();
        }

        // Complete outside the lock: disposing a registration waits for a cancellation callback that may be
        // running on another thread and blocked on our lock.
        if (satisfied is not null)
        {
            foreach (var waiter in satisfied)
            {
                waiter.Completion.TrySetResult();
                waiter.Registration.Dispose();
            }
        }

        return true;
    }

    private void DisposeTimer(FakeTimer timer)
    {
        lock (_lock)
        {
            timer.IsDisposed = true;
            timer.Disarm();
            _armedTimers.Remove(timer);
        }
    }

    private List<ActiveTimerWaiter>? TakeSatisfiedWaiters()
    {
        List<ActiveTimerWaiter>? satisfied = null;
        for (int i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].AtLeast <= _armedTimers.Count)
            {
                (satisfied ??= []).Add(_waiters[i]);
                _waiters.RemoveAt(i);
            }
        }

        return satisfied;
    }

    private static long SaturatingAdd(long ticks, long delta) =>
        delta > long.MaxValue - ticks ? long.MaxValue : ticks + delta;

    private static void ValidateTimeSpan(TimeSpan value, string paramName)
    {
        if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "Must be non-negative or Timeout.InfiniteTimeSpan.");
        }
    }

    private sealed class ActiveTimerWaiter(ManualTimeProvider provider, int atLeast)
    {
        public ManualTimeProvider Provider { get; } = provider;

        public int AtLeast { get; } = atLeast;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }

    private sealed class FakeTimer(ManualTimeProvider provider, TimerCallback callback, object? state, long sequence)
        : ITimer
    {
        private long _periodTicks;

        public TimerCallback Callback { get; } = callback;

        public object? State { get; } = state;

        // Creation order, used to break ties between timers due at the same tick.
        public long Sequence { get; } = sequence;

        // The following are guarded by the provider's lock.
        public long DueTicks { get; private set; } = long.MaxValue;

        public bool IsDisposed { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            ValidateTimeSpan(dueTime, nameof(dueTime));
            ValidateTimeSpan(period, nameof(period));
            return provider.ChangeTimer(this, dueTime, period);
        }

        public void Dispose() => provider.DisposeTimer(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        public void Arm(long dueTicks, TimeSpan period)
        {
            DueTicks = dueTicks;
            _periodTicks = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
        }

        public void Disarm()
        {
            DueTicks = long.MaxValue;
            _periodTicks = 0;
        }

        // Called just before the callback runs: a periodic timer moves to its next period, a one-shot disarms.
        // Returns whether the timer is still armed.
        public bool Reschedule()
        {
            if (_periodTicks > 0)
            {
                DueTicks = SaturatingAdd(DueTicks, _periodTicks);
                return true;
            }

            Disarm();
            return false;
        }
    }
}
