namespace InProc.Lifecycle;

/// <summary>Time arithmetic that cannot overflow.</summary>
internal static class TimeMath
{
    /// <summary>The most any single timer (and so any timeout or budget) can be armed for: about 49.7 days.</summary>
    public static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary><paramref name="time"/> + <paramref name="delay"/>, or <see cref="DateTimeOffset.MaxValue"/> when it would not fit.</summary>
    public static DateTimeOffset AddSaturating(DateTimeOffset time, TimeSpan delay) =>
        delay.Ticks > DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks ? DateTimeOffset.MaxValue : time + delay;

    /// <summary>An ISO 8601 UTC timestamp with milliseconds, for log messages.</summary>
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
