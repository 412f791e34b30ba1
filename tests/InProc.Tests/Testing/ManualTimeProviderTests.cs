using InProc.Testing;

namespace InProc.Tests.Testing;

/// <summary>The clock InProc.Testing ships: the same behaviour as the repository's own ManualTimeProvider, for users.</summary>
public sealed class ManualTimeProviderTests
{
    [Fact]
    public void Ctor_Default_StartsAtStartOf2026Utc()
    {
        var clock = new ManualTimeProvider();

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), clock.GetUtcNow());
        Assert.Equal(TimeZoneInfo.Utc, clock.LocalTimeZone);
    }

    [Fact]
    public void Advance_SeveralTimers_FiresDueOnesInDueOrderOnTheCallersThreadWithClockAtDueTime()
    {
        var clock = new ManualTimeProvider();
        var start = clock.GetUtcNow();
        var fired = new List<(int Timer, DateTimeOffset At, int Thread)>();
        using var late = clock.CreateTimer(_ => fired.Add((3, clock.GetUtcNow(), Environment.CurrentManagedThreadId)), null, TimeSpan.FromMinutes(3), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => fired.Add((1, clock.GetUtcNow(), Environment.CurrentManagedThreadId)), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        using var beyond = clock.CreateTimer(_ => fired.Add((9, clock.GetUtcNow(), Environment.CurrentManagedThreadId)), null, TimeSpan.FromMinutes(9), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromMinutes(5));

        var thread = Environment.CurrentManagedThreadId;
        Assert.Equal([(1, start.AddMinutes(1), thread), (3, start.AddMinutes(3), thread)], fired);
        Assert.Equal(start.AddMinutes(5), clock.GetUtcNow());
        Assert.Equal(1, clock.ActiveTimerCount);
    }

    [Fact]
    public void Advance_OneTickBeforeDueTime_DoesNotFire()
    {
        var clock = new ManualTimeProvider();
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.Equal(0, fired);
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, fired);
    }

    [Fact]
    public void Advance_CallbackArmsTimerInsideRange_FiresItInTheSameAdvance()
    {
        var clock = new ManualTimeProvider();
        var fired = new List<string>();
        ITimer? second = null;
        using var first = clock.CreateTimer(
            _ =>
            {
                fired.Add("first");
                second = clock.CreateTimer(_ => fired.Add("second"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
            },
            null,
            TimeSpan.FromSeconds(1),
            Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(["first", "second"], fired);
        second?.Dispose();
    }

    [Fact]
    public void CreateTimer_ZeroDueTime_FiresOnNextAdvanceOfZero()
    {
        var clock = new ManualTimeProvider();
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        Assert.Equal(0, fired);
        clock.Advance(TimeSpan.Zero);
        Assert.Equal(1, fired);
    }

    [Fact]
    public void SetUtcNow_Earlier_Throws()
    {
        var clock = new ManualTimeProvider();

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.SetUtcNow(clock.GetUtcNow().AddTicks(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromTicks(-1)));
    }

    [Fact]
    public async Task Delay_WithManualClock_CompletesOnlyAfterAdvance()
    {
        var clock = new ManualTimeProvider();

        var delay = Task.Delay(TimeSpan.FromMinutes(1), clock);
        Assert.False(delay.IsCompleted);
        clock.Advance(TimeSpan.FromMinutes(1));

        await delay.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task WaitForActiveTimersAsync_TimerArmedLater_Completes()
    {
        var clock = new ManualTimeProvider();

        var waiting = clock.WaitForActiveTimersAsync(1);
        Assert.False(waiting.IsCompleted);
        using var timer = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Advance_CallbackThrows_PropagatesAndLeavesClockAtDueTime()
    {
        var clock = new ManualTimeProvider();
        var start = clock.GetUtcNow();
        using var timer = clock.CreateTimer(_ => throw new InvalidOperationException("tick"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        Assert.Throws<InvalidOperationException>(() => clock.Advance(TimeSpan.FromSeconds(5)));

        Assert.Equal(start.AddSeconds(1), clock.GetUtcNow());
    }
}
