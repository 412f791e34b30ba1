using System.Globalization;
using Npgsql;

namespace InProc.Benchmarks.Infrastructure;

/// <summary>
/// CPU time the PostgreSQL server spent, read from /proc (Linux, a local server this user may read): the postmaster's
/// own and reaped children's time (utime, stime, cutime, cstime) plus each live child's. A backend that exits is reaped
/// into the postmaster's cutime, so the difference of two readings counts the hosts' connections too. Less sensitive
/// to the shared machine's load than wall time: what the server did per job, not how long it waited for a core.
/// </summary>
public static class PgServerCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>The server's CPU seconds so far, or NaN when /proc or the postmaster's pid cannot be read.</summary>
    public static double Seconds()
    {
        try
        {
            var postmaster = Postmaster();
            var own = Stat(postmaster) ?? throw new IOException($"/proc/{postmaster}/stat is gone");
            var ticks = own.Utime + own.Stime + own.Cutime + own.Cstime;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != postmaster && Stat(pid) is { } child && child.Ppid == postmaster)
                {
                    ticks += child.Utime + child.Stime;
                }
            }

            return ticks / TicksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NpgsqlException or FormatException)
        {
            return double.NaN;
        }
    }

    private static int Postmaster()
    {
        using var connection = new NpgsqlConnection(PgBench.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SHOW data_directory", connection);
        var directory = (string)command.ExecuteScalar()!;
        return int.Parse(File.ReadLines(Path.Combine(directory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
    }

    /// <summary>/proc/pid/stat after the command name: field 4 is the parent, 14–17 utime, stime, cutime, cstime (clock ticks).</summary>
    private static (long Ppid, long Utime, long Stime, long Cutime, long Cstime)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null; // exited meanwhile
        }

        var rest = text[(text.LastIndexOf(')') + 2)..].Split(' '); // rest[0] is field 3 (the state)
        long At(int field) => long.Parse(rest[field - 3], CultureInfo.InvariantCulture);
        return (At(4), At(14), At(15), At(16), At(17));
    }
}
