using System.Diagnostics;

namespace InProc.Benchmarks.Harness;

/// <summary>
/// Paces a dedicated thread without burning the CPU the paced harnesses measure: on Linux (where
/// <see cref="Stopwatch"/> reads <c>CLOCK_MONOTONIC</c> in nanoseconds) the thread sleeps until each slot with an
/// absolute <c>clock_nanosleep</c>, which wakes within tens of microseconds; elsewhere it sleeps whole milliseconds and
/// yields for the rest (coarser, and it costs CPU: read the numbers as Linux-only).
/// </summary>
internal static class Pacer
{
    /// <summary>True where <see cref="SleepUntil"/> sleeps precisely and <see cref="ThreadCpuTime"/> is available.</summary>
    public static bool Precise { get; } = OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;

    /// <summary>Blocks the calling thread until <see cref="Stopwatch.GetTimestamp"/> reaches <paramref name="timestamp"/>.</summary>
    public static void SleepUntil(long timestamp)
    {
        if (Precise)
        {
            LinuxClock.SleepUntil(timestamp);
            return;
        }

        long now;
        while ((now = Stopwatch.GetTimestamp()) < timestamp)
        {
            if (timestamp - now > Stopwatch.Frequency / 500)
            {
                Thread.Sleep(1);
            }
            else
            {
                Thread.Yield();
            }
        }
    }

    /// <summary>The calling thread's CPU time (Linux), or <see cref="TimeSpan.Zero"/> where it cannot be read.</summary>
    public static TimeSpan ThreadCpuTime() => Precise ? LinuxClock.ThreadCpuTime() : TimeSpan.Zero;
}
