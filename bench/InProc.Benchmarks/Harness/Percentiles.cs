using System.Diagnostics;
using System.Globalization;

namespace InProc.Benchmarks.Harness;

/// <summary>Percentiles of Stopwatch-tick samples, printed in microseconds or milliseconds.</summary>
public readonly record struct Percentiles(int Count, double P50, double P90, double P99, double P999, double Max)
{
    /// <summary>Sorts <paramref name="ticks"/> in place and reads the percentiles (nearest rank), in microseconds.</summary>
    public static Percentiles FromTicks(long[] ticks, int count)
    {
        var span = ticks.AsSpan(0, count);
        span.Sort();
        return new Percentiles(count, At(span, 0.50), At(span, 0.90), At(span, 0.99), At(span, 0.999), count == 0 ? 0 : ToMicroseconds(span[^1]));
    }

    public static double ToMicroseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    public static string Us(double microseconds) => microseconds.ToString("N1", CultureInfo.InvariantCulture);

    private static double At(Span<long> sorted, double quantile)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(quantile * sorted.Length) - 1;
        return ToMicroseconds(sorted[Math.Clamp(rank, 0, sorted.Length - 1)]);
    }
}
