using System.Collections.Concurrent;
using System.Diagnostics;
using InProc.Tests.Shared;

namespace InProc.PostgreSql.Tests.Support;

/// <summary>
/// One host process (tests/InProc.PostgreSql.Host, started with <c>dotnet &lt;dll&gt;</c>) on a shared schema: read by
/// its stdout lines, killed (SIGKILL), frozen (SIGSTOP) and thawed (SIGCONT) by its PID.
/// </summary>
internal sealed class HostProcess : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private HostProcess(string name, IEnumerable<string> args)
    {
        Name = name;
        _process = SiblingProcess.Start(HostDll, args, _lines.Enqueue, redirectInput: true);
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public string Output => $"--- {Name} (pid {Pid}) ---\n" + string.Join('\n', _lines.Where(l => !l.StartsWith("ack ", StringComparison.Ordinal)).TakeLast(40));

    public static string HostDll => SiblingProcess.DllOf("InProc.PostgreSql.Host");

    /// <summary>Starts a host named <paramref name="name"/>; <paramref name="args"/> are more <c>--name value</c> pairs (see the host's Program.cs).</summary>
    public static HostProcess Start(string connection, string schema, string name, params string[] args) =>
        new(name, ["--connection", connection, "--schema", schema, "--name", name, .. args]);

    /// <summary>The ids this host's EnqueueAsync calls returned ("ack" lines).</summary>
    public List<string> Acks => Values("ack ");

    /// <summary>Results this host dropped because it no longer held their lease (event 401): "id attempt".</summary>
    public List<string> Lost => Values("lost ");

    public bool Said(string prefix) => _lines.Any(l => l.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>With the database up throughout, no host logged a failed claim (402), write (403) or heartbeat (406).</summary>
    public static void AssertNoStoreFailures(params HostProcess[] hosts)
    {
        foreach (var host in hosts)
        {
            Assert.False(host.Said("log 402") || host.Said("log 403") || host.Said("log 406"), $"{host.Name} logged a store failure:\n{host.Output}");
        }
    }

    public Task WaitReadyAsync() => WaitForAsync(() => Said("ready"), "ready");

    public Task WaitEnqueuedAsync() => WaitForAsync(() => Said("enqueued"), "enqueued");

    /// <summary>Polls <paramref name="condition"/> (a real process's or server's state) until it holds; fails with this host's output when it exits or a minute passes.</summary>
    public async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Generous);
        while (!condition())
        {
            if (_process.HasExited && !condition())
            {
                Assert.Fail($"{Name} exited ({_process.ExitCode}) before {what}:\n{Output}");
            }

            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{Name}: no '{what}' within {Generous}:\n{Output}");
            }
        }
    }

    /// <summary>kill -9: SIGKILL by PID, no chance to write a result, renew a lease or hand a job back.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        Assert.True(_process.WaitForExit(Generous), $"{Name} did not die");
    }

    /// <summary>SIGSTOP: the process stands still (a frozen VM, a long GC pause) until <see cref="Thaw"/>.</summary>
    public void Freeze() => Signal("-STOP");

    public void Thaw() => Signal("-CONT");

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Signal("-CONT");
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(Generous);
        }

        _process.Dispose();
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.True(kill.ExitCode == 0, $"kill {signal} {Pid} failed");
    }

    public List<string> Values(string prefix) =>
        [.. _lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..])];
}
