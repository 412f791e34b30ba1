using InProc.Testing;

namespace InProc.Tests.Testing;

public sealed class TimerAwareFakeTimeProviderTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ActiveTimerCount_OneShotTimer_CountsUntilItFires()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        Assert.Equal(1, clock.ActiveTimerCount);

        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(1, fired);
        Assert.Equal(0, clock.ActiveTimerCount);
    }

    [Fact]
    public void ActiveTimerCount_PeriodicTimer_StaysCountedAfterFiring()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(3, fired);
        Assert.Equal(1, clock.ActiveTimerCount);
    }

    [Fact]
    public void ActiveTimerCount_DisarmedOrDisposed_IsNotCounted()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        var idle = clock.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var armed = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        Assert.Equal(1, clock.ActiveTimerCount);

        Assert.True(idle.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        Assert.Equal(2, clock.ActiveTimerCount);
        Assert.True(idle.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        armed.Dispose();

        Assert.Equal(0, clock.ActiveTimerCount);
        Assert.False(armed.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        Assert.Equal(0, clock.ActiveTimerCount);
        idle.Dispose();
    }

    [Fact]
    public async Task WaitForActiveTimersAsync_TimerArmedLater_CompletesWhenItIsArmed()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        var waiting = clock.WaitForActiveTimersAsync(1);
        Assert.False(waiting.IsCompleted);

        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(1), clock);

        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, clock.ActiveTimerCount);
    }

    [Fact]
    public async Task WaitForActiveTimersAsync_Cancelled_ThrowsOperationCanceled()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        using var cancel = new CancellationTokenSource();
        var waiting = clock.WaitForActiveTimersAsync(1, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void CreateTimer_ZeroDueTime_FiresAtOnceAndIsNotLeftCounted()
    {
        var clock = new TimerAwareFakeTimeProvider(Start);
        var fired = 0;

        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        Assert.Equal(1, fired);
        Assert.Equal(0, clock.ActiveTimerCount);
    }

    [Fact]
    public async Task AdvanceStepwise_TheMomentATimerIsCounted_FiresIt()
    {
        // A timer counted as armed must already be one the clock can fire: a test that sees the count and advances at
        // once (from another thread) must never slip between the count and the timer's registration.
        for (var round = 0; round < 5_000; round++)
        {
            var clock = new TimerAwareFakeTimeProvider(Start);
            var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var advancer = Task.Run(() =>
            {
                var spin = default(SpinWait);
                while (clock.ActiveTimerCount == 0)
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                }

                clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
            });
            using var timer = clock.CreateTimer(_ => fired.TrySetResult(), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

            await advancer.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(fired.Task.IsCompleted, $"round {round}: the timer was counted before the clock could fire it, so advancing past its due time did not");
        }
    }
}
