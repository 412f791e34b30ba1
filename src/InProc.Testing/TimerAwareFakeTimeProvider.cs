using Microsoft.Extensions.Time.Testing;

namespace InProc.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also counts its armed timers, so a test can wait until InProc (or a job)
/// has armed the timer it is about to fire before advancing the clock.
/// </summary>
/// <remarks>
/// <para>
/// Everything else is <see cref="FakeTimeProvider"/>'s: the clock moves only on <see cref="FakeTimeProvider.Advance"/>
/// or <see cref="FakeTimeProvider.SetUtcNow"/>, and the timers that come due fire on the thread that moves it.
/// </para>
/// <para>
/// What it adds: when the test and the code under test run on different tasks (a job that awaits with its
/// <see cref="JobContext.CancellationToken"/> and a <c>Timeout</c>, a worker, a <c>PeriodicTimer</c>), advancing before
/// the timer exists fires nothing. <see cref="WaitForActiveTimersAsync"/> waits for it instead of sleeping.
/// </para>
/// </remarks>
public sealed class TimerAwareFakeTimeProvider : FakeTimeProvider
{
    private readonly object _lock = new();
    private readonly List<(int AtLeast, TaskCompletionSource Completion)> _waiters = [];
    private readonly List<TrackedTimer> _timers = [];
    private int _armed;
    private int _registering; // CreateTimer/Change calls between counting a timer and the fake clock holding it

    /// <summary>Creates a clock that starts at <see cref="FakeTimeProvider"/>'s default start time.</summary>
    public TimerAwareFakeTimeProvider()
    {
    }

    /// <summary>Creates a clock that starts at <paramref name="startDateTime"/>.</summary>
    /// <param name="startDateTime">The initial time.</param>
    public TimerAwareFakeTimeProvider(DateTimeOffset startDateTime)
        : base(startDateTime)
    {
    }

    /// <summary>Gets the number of timers that are armed: created or changed with a finite due time, not yet fired (one-shot) and not disposed.</summary>
    /// <value>The count of timers that can still fire.</value>
    public int ActiveTimerCount
    {
        get
        {
            lock (_lock)
            {
                return _armed;
            }
        }
    }

    /// <summary>Creates a timer driven by this clock, counted while it is armed.</summary>
    /// <param name="callback">The callback invoked when the timer fires.</param>
    /// <param name="state">The object passed to <paramref name="callback"/>.</param>
    /// <param name="dueTime">The delay before the first firing; <see cref="Timeout.InfiniteTimeSpan"/> leaves the timer disarmed.</param>
    /// <param name="period">The interval between firings; <see cref="Timeout.InfiniteTimeSpan"/> or zero fires once.</param>
    /// <returns>The timer.</returns>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new TrackedTimer(this, callback, state);
        Interlocked.Increment(ref _registering);
        try
        {
            timer.Arm(dueTime, period);

            // A zero due time fires inside this call; the timer is counted, then uncounted, first.
            timer.Inner = base.CreateTimer(static s => ((TrackedTimer)s!).Fire(), timer, dueTime, period);
        }
        catch
        {
            timer.Disarm(disposing: true);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _registering);
        }

        return timer;
    }

    /// <summary>
    /// Moves the clock forward by <paramref name="delta"/>, stopping at the due time of each armed timer on the way,
    /// so that every timer fires with the clock at its own due time, in due order, and a timer armed by a callback
    /// fires in the same call if it comes due within <paramref name="delta"/>.
    /// </summary>
    /// <remarks>
    /// <see cref="FakeTimeProvider.Advance"/> moves the clock to the end first and then fires what is due, once: right
    /// for a jump (a suspended machine), but a recurring job advanced by an hour then sees one late tick, not one per
    /// slot, and a job scheduled by a job run on the way is not reached. This is how real time passes.
    /// </remarks>
    /// <param name="delta">How far to move the clock.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative.</exception>
    public void AdvanceStepwise(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        var target = GetUtcNow() + delta;
        WaitForRegistrations();
        Advance(TimeSpan.Zero);
        while (NextDueAfterNow(target) is { } next)
        {
            SetUtcNow(next);
            WaitForRegistrations();
        }

        SetUtcNow(target);
    }

    /// <summary>Waits until at least <paramref name="atLeast"/> timers are armed.</summary>
    /// <param name="atLeast">The number of armed timers to wait for.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes once <see cref="ActiveTimerCount"/> reaches <paramref name="atLeast"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="atLeast"/> is negative.</exception>
    public Task WaitForActiveTimersAsync(int atLeast, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(atLeast);
        TaskCompletionSource completion;
        lock (_lock)
        {
            if (_armed >= atLeast)
            {
                return Task.CompletedTask;
            }

            completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((atLeast, completion));
        }

        return cancellationToken.CanBeCanceled ? completion.Task.WaitAsync(cancellationToken) : completion.Task;
    }

    /// <summary>
    /// A timer is counted as armed a moment before the underlying fake clock holds it (inside CreateTimer or Change);
    /// a test that saw the count and advances at once must not pass its due time in that moment, or it never fires.
    /// </summary>
    private void WaitForRegistrations()
    {
        var spin = default(SpinWait);
        while (Volatile.Read(ref _registering) > 0)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    private DateTimeOffset? NextDueAfterNow(DateTimeOffset target)
    {
        var now = GetUtcNow();
        DateTimeOffset? next = null;
        lock (_lock)
        {
            foreach (var timer in _timers)
            {
                if (timer.DueAt is { } due && due > now && due <= target && (next is null || due < next))
                {
                    next = due;
                }
            }
        }

        return next;
    }

    private void Track(TrackedTimer timer, bool add)
    {
        lock (_lock)
        {
            if (add)
            {
                _timers.Add(timer);
            }
            else
            {
                _timers.Remove(timer);
            }
        }
    }

    private void Count(int delta)
    {
        List<TaskCompletionSource>? satisfied = null;
        lock (_lock)
        {
            _armed += delta;
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].AtLeast <= _armed)
                {
                    (satisfied ??= []).Add(_waiters[i].Completion);
                    _waiters.RemoveAt(i);
                }
            }
        }

        satisfied?.ForEach(c => c.TrySetResult());
    }

    private sealed class TrackedTimer(TimerAwareFakeTimeProvider provider, TimerCallback callback, object? state) : ITimer
    {
        private readonly object _lock = new();
        private bool _armed;
        private TimeSpan _period;
        private bool _disposed;
        private DateTimeOffset? _dueAt;

        public ITimer? Inner { get; set; }

        /// <summary>When it fires next, or null when disarmed.</summary>
        public DateTimeOffset? DueAt
        {
            get
            {
                lock (_lock)
                {
                    return _dueAt;
                }
            }
        }

        private bool Periodic => _period != Timeout.InfiniteTimeSpan && _period != TimeSpan.Zero;

        public void Arm(TimeSpan dueTime, TimeSpan period)
        {
            int delta;
            lock (_lock)
            {
                if (_disposed)
                {
                    return;
                }

                var armed = dueTime != Timeout.InfiniteTimeSpan;
                delta = (armed ? 1 : 0) - (_armed ? 1 : 0);
                _armed = armed;
                _period = period;
                _dueAt = armed ? provider.GetUtcNow() + dueTime : null;
            }

            if (delta != 0)
            {
                provider.Track(this, add: delta > 0);
                provider.Count(delta);
            }
        }

        public void Disarm(bool disposing)
        {
            bool was;
            lock (_lock)
            {
                was = _armed;
                _armed = false;
                _dueAt = null;
                _disposed |= disposing;
            }

            if (was)
            {
                provider.Track(this, add: false);
                provider.Count(-1);
            }
        }

        public void Fire()
        {
            bool oneShot;
            lock (_lock)
            {
                oneShot = !Periodic;
                if (!oneShot)
                {
                    _dueAt = provider.GetUtcNow() + _period;
                }
            }

            if (oneShot)
            {
                Disarm(disposing: false);
            }

            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_lock)
            {
                if (_disposed)
                {
                    return false;
                }
            }

            Interlocked.Increment(ref provider._registering);
            try
            {
                Arm(dueTime, period);
                return Inner!.Change(dueTime, period);
            }
            finally
            {
                Interlocked.Decrement(ref provider._registering);
            }
        }

        public void Dispose()
        {
            Disarm(disposing: true);
            Inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
