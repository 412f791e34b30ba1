using System.Diagnostics;

namespace InProc.Tests.Shared;

/// <summary>
/// A console app built beside a test project (tests/&lt;app&gt;), run as a real child process with <c>dotnet &lt;dll&gt;</c>:
/// the kill -9, restart and many-host tests. Linked into each test project that starts one.
/// </summary>
internal static class SiblingProcess
{
    /// <summary>tests/&lt;this project&gt;/bin/&lt;Configuration&gt;/&lt;framework&gt;/ → tests/<paramref name="project"/>/bin/&lt;Configuration&gt;/&lt;framework&gt;/<paramref name="project"/>.dll.</summary>
    public static string DllOf(string project)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tests = here.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(tests, project, "bin", here.Parent.Name, here.Name, project + ".dll");
    }

    /// <summary>Starts <paramref name="dll"/> with <paramref name="args"/>; every line it writes to stdout or stderr goes to <paramref name="onLine"/>.</summary>
    public static Process Start(string dll, IEnumerable<string> args, Action<string> onLine, bool redirectInput = false)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;

        void OnLine(string? line)
        {
            if (line is not null)
            {
                onLine(line);
            }
        }
    }
}
