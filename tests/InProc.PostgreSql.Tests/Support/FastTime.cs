namespace InProc.PostgreSql.Tests.Support;

/// <summary>The system clock, with every timer (Task.Delay, a poll, a heartbeat) firing <c>factor</c> times sooner: long backoffs in short tests.</summary>
internal sealed class FastTime(int factor) : TimeProvider
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, Scale(dueTime), Scale(period));

    private TimeSpan Scale(TimeSpan span) => span == Timeout.InfiniteTimeSpan ? span : span / factor;
}
