using System.Diagnostics;

namespace InProc.PostgreSql.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of this test's own (.ci/postgres.sh with a state file of its own): initdb into a temp dir, on a
/// free port, run as the postgres user when root. The shared server of the other tests is never restarted.
/// </summary>
internal sealed class PrivateCluster : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("inproc-pg-private.").FullName;

    private PrivateCluster()
    {
        var line = Run("start");
        const string Prefix = "export INPROC_POSTGRES_CONNECTION='";
        var at = line.IndexOf(Prefix, StringComparison.Ordinal);
        Assert.True(at >= 0, ".ci/postgres.sh start printed no connection string:\n" + line);
        ConnectionString = line[(at + Prefix.Length)..line.IndexOf('\'', at + Prefix.Length)];
    }

    public string ConnectionString { get; }

    public static PrivateCluster Start() => new();

    /// <summary>pg_ctl stop -m fast: every client connection is closed; the data stays.</summary>
    public void Down() => Run("down");

    /// <summary>Starts the server again; this process's pooled connections to it (broken by the stop) are dropped.</summary>
    public void Up()
    {
        Run("up");
        using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        Npgsql.NpgsqlConnection.ClearPool(connection);
    }

    public void Dispose()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        Run("stop");
        Directory.Delete(_dir, recursive: true);
    }

    private static string Script
    {
        get
        {
            // tests/InProc.PostgreSql.Tests/bin/<Configuration>/net10.0/ → .ci/postgres.sh
            var root = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(root, ".ci", "postgres.sh");
        }
    }

    private string Run(string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(command);
        start.Environment["INPROC_PG_STATE"] = Path.Combine(_dir, "state");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), $".ci/postgres.sh {command} did not finish");
        Assert.True(process.ExitCode == 0, $".ci/postgres.sh {command} failed ({process.ExitCode}):\n{output.Result}\n{error.Result}");
        return output.Result;
    }
}
