using System.Diagnostics;

namespace InProc.Sqlite.Tests.Support;

/// <summary>The kill -9 tests' child process: tests/InProc.Sqlite.KillHost, started with <c>dotnet &lt;dll&gt;</c> and killed by its PID.</summary>
internal sealed class Child : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private Child(string dir, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostDll);
        start.ArgumentList.Add(dir);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public string Output => string.Join('\n', _output);

    public static string HostDll
    {
        get
        {
            // tests/InProc.Sqlite.Tests/bin/<Configuration>/net10.0/ → tests/InProc.Sqlite.KillHost/bin/<Configuration>/net10.0/
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = here.Name;
            var configuration = here.Parent!.Name;
            var tests = here.Parent.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(tests, "InProc.Sqlite.KillHost", "bin", configuration, framework, "InProc.Sqlite.KillHost.dll");
        }
    }

    public static Child Enqueue(string dir, int seed, int count) => new(dir, "enqueue", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), count.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static Child Unique(string dir, int seed, int count) => new(dir, "unique", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), count.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static Child Drain(string dir) => new(dir, "drain");

    public Task WaitReadyAsync() => Within(_ready.Task, "ready");

    /// <summary>The journal opened its file; recovery runs next, before "ready".</summary>
    public Task WaitOpenedAsync() => Within(_opened.Task, "opened");

    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>kill -9: SIGKILL by PID, no chance to flush or stop.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        if (_process.WaitForExit(Generous))
        {
            _process.WaitForExit(); // and every line it wrote before it died has been read
        }
    }

    public async Task WaitDrainedAsync()
    {
        await Within(_drained.Task, "drained");
        await _process.WaitForExitAsync().WaitAsync(Generous);
        Assert.True(_process.ExitCode == 0, "the drain exited with " + _process.ExitCode + ":\n" + Output);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(Generous);
        }

        _process.Dispose();
    }

    private async Task Within(Task task, string what)
    {
        var done = await Task.WhenAny(task, _process.WaitForExitAsync(), Task.Delay(Generous));
        Assert.True(task.IsCompleted, $"the child never said '{what}' (exited: {_process.HasExited}):\n{Output}");
        await done;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (line == "opened")
        {
            _opened.TrySetResult();
        }
        else if (line == "ready")
        {
            _ready.TrySetResult();
        }
        else if (line == "drained")
        {
            _drained.TrySetResult();
        }
    }
}
