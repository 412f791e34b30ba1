using InProc.Testing;

namespace InProc.Tests.Testing;

public class ManualTimeProviderTimerTests
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Ctor_Default_StartsAtStartOf2026Utc()
    {
        var time = new ManualTimeProvider();

        Assert.Equal(Start, time.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, time.GetUtcNow().Offset);
    }

    [Fact]
    public void Ctor_StartTimeWithOffset_ReportsSameInstantInUtc()
    {
        var start = new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.FromHours(2));

        var time = new ManualTimeProvider(start);

        Assert.Equal(start, time.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, time.GetUtcNow().Offset);
    }

    [Fact]
    public void LocalTimeZone_Always_IsUtc()
    {
        var time = new ManualTimeProvider();

        Assert.Same(TimeZoneInfo.Utc, time.LocalTimeZone);
        Assert.Equal(time.GetUtcNow(), time.GetLocalNow());
    }

    [Fact]
    public void Advance_Delta_MovesClock()
    {
        var time = new ManualTimeProvider();

        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(Start.AddMinutes(5), time.GetUtcNow());
    }

    [Fact]
    public void Advance_NegativeDelta_Throws()
    {
        var time = new ManualTimeProvider();

        Assert.Throws<ArgumentOutOfRangeException>(() => time.Advance(TimeSpan.FromTicks(-1)));
        Assert.Equal(Start, time.GetUtcNow());
    }

    [Fact]
    public void SetUtcNow_Earlier_Throws()
    {
        var time = new ManualTimeProvider();

        Assert.Throws<ArgumentOutOfRangeException>(() => time.SetUtcNow(Start.AddTicks(-1)));
        Assert.Equal(Start, time.GetUtcNow());
    }

    [Fact]
    public void SetUtcNow_Later_MovesClockAndFiresDueTimers()
    {
        var time = new ManualTimeProvider();
        int fired = 0;
        using var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);

        time.SetUtcNow(Start.AddHours(2));

        Assert.Equal(1, fired);
        Assert.Equal(Start.AddHours(2), time.GetUtcNow());
    }

    [Fact]
    public void GetElapsedTime_AfterAdvance_ReturnsAdvancedTime()
    {
        var time = new ManualTimeProvider();
        long started = time.GetTimestamp();

        time.Advance(TimeSpan.FromMilliseconds(1500));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), time.GetElapsedTime(started));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), time.GetElapsedTime(started, time.GetTimestamp()));
    }

    [Fact]
    public void GetTimestamp_AfterAdvance_GrowsByTicksAtTimestampFrequency()
    {
        var time = new ManualTimeProvider();
        long started = time.GetTimestamp();

        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(TimeSpan.TicksPerSecond, time.TimestampFrequency);
        Assert.Equal(2 * time.TimestampFrequency, time.GetTimestamp() - started);
    }

    [Fact]
    public void Advance_OneTickBeforeDueTime_DoesNotFire()
    {
        var time = new ManualTimeProvider();
        int fired = 0;
        using var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1));

        Assert.Equal(0, fired);
    }

    [Fact]
    public void Advance_ReachesDueTime_FiresOnceWithState()
    {
        var time = new ManualTimeProvider();
        var state = new object();
        var received = new List<object?>();
        using var timer = time.CreateTimer(received.Add, state, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1));
        time.Advance(TimeSpan.FromTicks(1));
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal([state], received);
    }

    [Fact]
    public void Advance_SeveralTimers_FiresInDueOrderWithClockAtDueTime()
    {
        var time = new ManualTimeProvider();
        var seen = new List<(string Name, DateTimeOffset Now)>();
        using var late = time.CreateTimer(_ => seen.Add(("late", time.GetUtcNow())), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        using var early = time.CreateTimer(_ => seen.Add(("early", time.GetUtcNow())), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var middle = time.CreateTimer(_ => seen.Add(("middle", time.GetUtcNow())), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(
            [("early", Start.AddSeconds(1)), ("middle", Start.AddSeconds(2)), ("late", Start.AddSeconds(3))],
            seen);
        Assert.Equal(Start.AddSeconds(10), time.GetUtcNow());
    }

    [Fact]
    public void Advance_TimersDueAtSameTime_FireInCreationOrder()
    {
        var time = new ManualTimeProvider();
        var seen = new List<int>();
        var timers = Enumerable.Range(0, 5)
            .Select(i => time.CreateTimer(_ => seen.Add(i), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan))
            .ToList();

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal([0, 1, 2, 3, 4], seen);
        timers.ForEach(t => t.Dispose());
    }

    [Fact]
    public void Advance_PeriodicTimer_FiresOncePerElapsedPeriod()
    {
        var time = new ManualTimeProvider();
        var seen = new List<DateTimeOffset>();
        using var timer = time.CreateTimer(_ => seen.Add(time.GetUtcNow()), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        time.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal([Start.AddSeconds(1), Start.AddSeconds(3), Start.AddSeconds(5)], seen);

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(4, seen.Count);
        Assert.Equal(Start.AddSeconds(7), seen[^1]);
    }

    [Fact]
    public void CreateTimer_ZeroDueTime_FiresOnNextAdvanceOfZero()
    {
        var time = new ManualTimeProvider();
        var seen = new List<DateTimeOffset>();
        using var timer = time.CreateTimer(_ => seen.Add(time.GetUtcNow()), null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        Assert.Empty(seen);

        time.Advance(TimeSpan.Zero);

        Assert.Equal([Start], seen);
    }

    [Fact]
    public void CreateTimer_InfiniteDueTime_NeverFires()
    {
        var time = new ManualTimeProvider();
        int fired = 0;
        using var timer = time.CreateTimer(_ => fired++, null, Timeout.InfiniteTimeSpan, TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromDays(365));

        Assert.Equal(0, fired);
        Assert.Equal(0, time.ActiveTimerCount);
    }

    [Fact]
    public void CreateTimer_NullCallback_Throws()
    {
        var time = new ManualTimeProvider();

        Assert.Throws<ArgumentNullException>(() => time.CreateTimer(null!, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    [Theory]
    // Negative due time.
    [InlineData(-2, -1)]
    // Negative period.
    [InlineData(0, -2)]
    public void CreateTimer_NegativeNonInfiniteTimeSpan_Throws(int dueMilliseconds, int periodMilliseconds)
    {
        var time = new ManualTimeProvider();

        Assert.Throws<ArgumentOutOfRangeException>(() => time.CreateTimer(
            _ => { }, null, TimeSpan.FromMilliseconds(dueMilliseconds), TimeSpan.FromMilliseconds(periodMilliseconds)));
    }

    [Fact]
    public void Change_NewDueTime_FiresAtNewDueTimeOnly()
    {
        var time = new ManualTimeProvider();
        var seen = new List<DateTimeOffset>();
        using var timer = time.CreateTimer(_ => seen.Add(time.GetUtcNow()), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        time.Advance(TimeSpan.FromMilliseconds(500));

        Assert.True(timer.Change(TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan));
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal([Start.AddSeconds(2.5)], seen);
    }

    [Fact]
    public void Change_InfiniteDueTime_DisarmsTimer()
    {
        var time = new ManualTimeProvider();
        int fired = 0;
        using var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        Assert.True(timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, fired);
        Assert.Equal(0, time.ActiveTimerCount);
    }

    [Fact]
    public void Change_AfterOneShotFired_RearmsTimer()
    {
        var time = new ManualTimeProvider();
        int fired = 0;
        using var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(2, fired);
    }

    [Fact]
    public void Change_AfterDispose_ReturnsFalseAndDoesNotArm()
    {
        var time = new ManualTimeProvider();
        int fired = 0;
        var timer = time.CreateTimer(_ => fired++, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Dispose();

        Assert.False(timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, fired);
        Assert.Equal(0, time.ActiveTimerCount);
    }

    [Fact]
    public void Dispose_BeforeDueTime_TimerNeverFires()
    {
        var time = new ManualTimeProvider();
        int fired = 0;
        var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        timer.Dispose();
        timer.Dispose();
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, fired);
    }

    [Fact]
    public async Task DisposeAsync_BeforeDueTime_TimerNeverFires()
    {
        var time = new ManualTimeProvider();
        int fired = 0;
        var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        await timer.DisposeAsync();
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, fired);
        Assert.Equal(0, time.ActiveTimerCount);
    }

    [Fact]
    public void ActiveTimerCount_ArmFireAndDispose_CountsArmedTimersOnly()
    {
        var time = new ManualTimeProvider();
        using var oneShot = time.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var periodic = time.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        using var disarmed = time.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Assert.Equal(2, time.ActiveTimerCount);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, time.ActiveTimerCount);

        disarmed.Change(TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        Assert.Equal(2, time.ActiveTimerCount);

        periodic.Dispose();
        Assert.Equal(1, time.ActiveTimerCount);
    }

    [Fact]
    public void Advance_CallbackCreatesTimerInsideRange_FiresInSameAdvance()
    {
        var time = new ManualTimeProvider();
        var seen = new List<(string Name, DateTimeOffset Now)>();
        ITimer? inner = null;
        using var outer = time.CreateTimer(
            _ =>
            {
                seen.Add(("outer", time.GetUtcNow()));
                inner = time.CreateTimer(_ => seen.Add(("inner", time.GetUtcNow())), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
            },
            null,
            TimeSpan.FromSeconds(1),
            Timeout.InfiniteTimeSpan);
        using var last = time.CreateTimer(_ => seen.Add(("last", time.GetUtcNow())), null, TimeSpan.FromSeconds(4), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(
            [("outer", Start.AddSeconds(1)), ("inner", Start.AddSeconds(3)), ("last", Start.AddSeconds(4))],
            seen);
        inner?.Dispose();
    }

    [Fact]
    public void Advance_CallbackCreatesTimerBeyondRange_FiresOnLaterAdvance()
    {
        var time = new ManualTimeProvider();
        int innerFired = 0;
        ITimer? inner = null;
        using var outer = time.CreateTimer(
            _ => inner = time.CreateTimer(_ => innerFired++, null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan),
            null,
            TimeSpan.FromSeconds(1),
            Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, innerFired);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, innerFired);
        inner?.Dispose();
    }

    [Fact]
    public void Advance_CallbackDisposesOwnPeriodicTimer_StopsFiring()
    {
        var time = new ManualTimeProvider();
        int fired = 0;
        ITimer? timer = null;
        timer = time.CreateTimer(
            _ =>
            {
                if (++fired == 2)
                {
                    timer!.Dispose();
                }
            },
            null,
            TimeSpan.FromSeconds(1),
            TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(2, fired);
        Assert.Equal(0, time.ActiveTimerCount);
    }

    [Fact]
    public void Advance_CallbackDisposesLaterTimer_LaterTimerDoesNotFire()
    {
        var time = new ManualTimeProvider();
        int laterFired = 0;
        var later = time.CreateTimer(_ => laterFired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var first = time.CreateTimer(_ => later.Dispose(), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        // "later" was created first, so it wins the tie; re-arm it one tick after "first".
        later.Change(TimeSpan.FromSeconds(1) + TimeSpan.FromTicks(1), Timeout.InfiniteTimeSpan);
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(0, laterFired);
    }

    [Fact]
    public void Advance_CallbackRearmsItselfWithinRange_FiresAgainInSameAdvance()
    {
        var time = new ManualTimeProvider();
        var seen = new List<DateTimeOffset>();
        ITimer? timer = null;
        timer = time.CreateTimer(
            _ =>
            {
                seen.Add(time.GetUtcNow());
                if (seen.Count < 3)
                {
                    timer!.Change(TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
                }
            },
            null,
            TimeSpan.FromSeconds(1),
            Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal([Start.AddSeconds(1), Start.AddSeconds(3), Start.AddSeconds(5)], seen);
        timer.Dispose();
    }

    [Fact]
    public void Advance_CallbackWaitsOnOtherThreadUsingProvider_DoesNotDeadlock()
    {
        var time = new ManualTimeProvider();
        int innerFired = 0;
        bool otherThreadFinished = false;
        ITimer? inner = null;
        using var outer = time.CreateTimer(
            _ => otherThreadFinished = Task.Run(() =>
                {
                    inner = time.CreateTimer(_ => innerFired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
                    _ = time.ActiveTimerCount;
                })
                .Wait(WaitLimit),
            null,
            TimeSpan.FromSeconds(1),
            Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(otherThreadFinished);
        Assert.Equal(1, innerFired);
        inner?.Dispose();
    }

    [Fact]
    public void Advance_CallbackThrows_PropagatesAndLeavesClockAtDueTime()
    {
        var time = new ManualTimeProvider();
        using var timer = time.CreateTimer(_ => throw new InvalidOperationException("boom"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        Assert.Throws<InvalidOperationException>(() => time.Advance(TimeSpan.FromSeconds(5)));

        Assert.Equal(Start.AddSeconds(1), time.GetUtcNow());
    }

    [Fact]
    public async Task Delay_WithFakeProvider_CompletesOnlyAfterAdvance()
    {
        var time = new ManualTimeProvider();

        var delay = Task.Delay(TimeSpan.FromSeconds(5), time);
        Assert.Equal(1, time.ActiveTimerCount);

        time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(1));
        Assert.False(delay.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await delay.WaitAsync(WaitLimit);
        Assert.Equal(0, time.ActiveTimerCount);
    }

    [Fact]
    public async Task Delay_CancelledBeforeAdvance_CancelsAndReleasesTimer()
    {
        var time = new ManualTimeProvider();
        using var cts = new CancellationTokenSource();

        var delay = Task.Delay(TimeSpan.FromSeconds(5), time, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delay.WaitAsync(WaitLimit));
        Assert.Equal(0, time.ActiveTimerCount);
    }

    [Fact]
    public void CancellationTokenSource_WithFakeProvider_CancelsOnlyAfterAdvance()
    {
        var time = new ManualTimeProvider();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3), time);

        time.Advance(TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(1));
        Assert.False(cts.IsCancellationRequested);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(cts.IsCancellationRequested);
    }

    [Fact]
    public void CancellationTokenSource_CancelAfterWithFakeProvider_UsesNewDelay()
    {
        var time = new ManualTimeProvider();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3), time);

        cts.CancelAfter(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(cts.IsCancellationRequested);

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(cts.IsCancellationRequested);
    }

    [Fact]
    public async Task WaitForActiveTimersAsync_TimerArmedFromAnotherTask_Completes()
    {
        var time = new ManualTimeProvider();
        var wait = time.WaitForActiveTimersAsync(1);
        Assert.False(wait.IsCompleted);

        var work = Task.Run(() => Task.Delay(TimeSpan.FromSeconds(30), time));
        await wait.WaitAsync(WaitLimit);
        time.Advance(TimeSpan.FromSeconds(30));

        await work.WaitAsync(WaitLimit);
    }

    [Fact]
    public async Task WaitForActiveTimersAsync_AlreadyEnoughTimers_CompletesImmediately()
    {
        var time = new ManualTimeProvider();
        using var timer = time.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        var wait = time.WaitForActiveTimersAsync(1);

        Assert.True(wait.IsCompletedSuccessfully);
        await wait;
        Assert.True(time.WaitForActiveTimersAsync(0).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WaitForActiveTimersAsync_SeveralTimersNeeded_CompletesOnLastArm()
    {
        var time = new ManualTimeProvider();
        var wait = time.WaitForActiveTimersAsync(2);
        using var first = time.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        using var second = time.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        Assert.False(wait.IsCompleted);

        first.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        await wait.WaitAsync(WaitLimit);
    }

    [Fact]
    public async Task WaitForActiveTimersAsync_TokenCancelled_Cancels()
    {
        var time = new ManualTimeProvider();
        using var cts = new CancellationTokenSource();
        var wait = time.WaitForActiveTimersAsync(1, cts.Token);

        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(WaitLimit));
        Assert.Equal(cts.Token, ex.CancellationToken);
    }

    [Fact]
    public async Task WaitForActiveTimersAsync_TokenAlreadyCancelled_ReturnsCancelledTask()
    {
        var time = new ManualTimeProvider();

        var wait = time.WaitForActiveTimersAsync(1, new CancellationToken(canceled: true));

        Assert.True(wait.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public void WaitForActiveTimersAsync_NegativeCount_Throws()
    {
        var time = new ManualTimeProvider();

        // The argument is checked eagerly, before any task is returned.
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = time.WaitForActiveTimersAsync(-1); });
    }
}
