using System.Diagnostics;
using InProc.Tests.Shared;

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
        _process = SiblingProcess.Start(HostDll, [dir, .. args], OnLine);
    }

    public int Pid => _process.Id;

    public string Output => string.Join('\n', _output);

    public static string HostDll => SiblingProcess.DllOf("InProc.Sqlite.KillHost");

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

    private void OnLine(string line)
    {
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
