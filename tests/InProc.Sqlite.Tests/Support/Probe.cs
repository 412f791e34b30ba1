using System.Collections.Concurrent;

namespace InProc.Sqlite.Tests.Support;

/// <summary>What the test jobs saw: every attempt, with its context, and gates a test opens.</summary>
internal sealed class Probe
{
    public ConcurrentQueue<(JobId Id, string Key, int Attempt, bool IsRecovery)> Runs { get; } = new();

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<JobId> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Fail { get; set; }

    public async Task<(JobId Id, string Key, int Attempt, bool IsRecovery)> WaitForRunAsync(string key, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var run = Runs.FirstOrDefault(r => r.Key == key);
            if (run.Key is not null)
            {
                return run;
            }

            await Task.Delay(10, cancel.Token);
        }
    }
}
