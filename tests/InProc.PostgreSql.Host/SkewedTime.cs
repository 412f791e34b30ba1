namespace InProc.PostgreSql.Host;

/// <summary>The system clock moved by a fixed offset: a host whose clock is wrong. Timers are not moved (a delay is still a delay).</summary>
public sealed class SkewedTime(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
