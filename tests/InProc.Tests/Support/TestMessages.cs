namespace InProc.Tests.Support;

/// <summary>Runs to completion and records itself.</summary>
internal sealed record Ping(int Number);

/// <summary>Waits on a gate the test opens; records itself first.</summary>
internal sealed record Blocking(int Number);

/// <summary>Throws until attempt <see cref="SucceedOnAttempt"/> (never, when 0).</summary>
internal sealed record Flaky(int SucceedOnAttempt, string ExceptionKind = "io");

internal sealed class PingJob(Probe probe) : IJob<Ping>
{
    public Task RunAsync(Ping message, JobContext context)
    {
        probe.Record(message, context);
        return Task.CompletedTask;
    }
}

/// <summary>The gates <see cref="BlockingJob"/> waits on, one per message number (created on demand).</summary>
internal sealed class Gates
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, TaskCompletionSource> _gates = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, TaskCompletionSource> _entered = new();

    public bool IgnoreCancellation { get; set; }

    public TaskCompletionSource Gate(int number) => _gates.GetOrAdd(number, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public TaskCompletionSource Entered(int number) => _entered.GetOrAdd(number, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public Task WaitEnteredAsync(int number) => Entered(number).Task.WaitAsync(TestHost.Patience);

    public void Open(int number) => Gate(number).TrySetResult();

    public void OpenAll()
    {
        foreach (var gate in _gates.Values)
        {
            gate.TrySetResult();
        }
    }
}

internal sealed class BlockingJob(Probe probe, Gates gates) : IJob<Blocking>
{
    public async Task RunAsync(Blocking message, JobContext context)
    {
        probe.Record(message, context);
        using (probe.Enter())
        {
            gates.Entered(message.Number).TrySetResult();
            var gate = gates.Gate(message.Number).Task;
            if (gates.IgnoreCancellation)
            {
                await gate;
            }
            else
            {
                await gate.WaitAsync(context.CancellationToken);
            }
        }
    }
}

internal sealed class FlakyJob(Probe probe) : IJob<Flaky>
{
    public async Task RunAsync(Flaky message, JobContext context)
    {
        probe.Record(message, context);
        await Task.Yield();
        if (message.SucceedOnAttempt != 0 && context.Attempt >= message.SucceedOnAttempt)
        {
            return;
        }

        if (message.ExceptionKind == "argument")
        {
            throw new ArgumentException($"bad input on attempt {context.Attempt}");
        }

        throw new IOException($"transient failure on attempt {context.Attempt}");
    }
}
