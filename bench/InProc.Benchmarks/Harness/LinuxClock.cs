using System.Runtime.InteropServices;

namespace InProc.Benchmarks.Harness;

/// <summary>
/// The two libc clock calls the paced harnesses need on Linux: an absolute sleep on <c>CLOCK_MONOTONIC</c> (the clock
/// <see cref="System.Diagnostics.Stopwatch"/> reads there, in nanoseconds) and the calling thread's CPU time.
/// </summary>
internal static partial class LinuxClock
{
    private const int ClockMonotonic = 1;
    private const int ClockThreadCpuTime = 3;
    private const int TimerAbsTime = 1;
    private const int Eintr = 4;

    /// <summary>Sleeps until the monotonic clock reads <paramref name="nanoseconds"/>; retries when interrupted.</summary>
    public static void SleepUntil(long nanoseconds)
    {
        var target = new Timespec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
        while (ClockNanosleep(ClockMonotonic, TimerAbsTime, ref target, IntPtr.Zero) == Eintr)
        {
        }
    }

    /// <summary>CPU time the calling thread has used, user + system.</summary>
    public static TimeSpan ThreadCpuTime()
    {
        _ = ClockGettime(ClockThreadCpuTime, out var now);
        return TimeSpan.FromTicks((now.Seconds * 1_000_000_000 + now.Nanoseconds) / 100);
    }

    [DllImport("libc", EntryPoint = "clock_nanosleep")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockNanosleep(int clock, int flags, ref Timespec request, IntPtr remaining);

    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockGettime(int clock, out Timespec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
