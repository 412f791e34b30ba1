namespace InProc.StressTests.Support;

/// <summary>
/// The body shared by the stress jobs. Every kind honours <see cref="JobContext.CancellationToken"/>, so at shutdown a
/// running job ends within the grace period and is never both run to success and abandoned.
/// </summary>
internal static class WorkBody
{
    public static async Task RunAsync(Ledger ledger, WorkKind kind, int spins, JobContext context)
    {
        var run = ledger.Ran(context.Id);
        var token = context.CancellationToken;
        switch (kind)
        {
            case WorkKind.Succeed:
                break;
            case WorkKind.Throw:
                throw new InvalidOperationException($"Planned failure of job {context.Id}, run {run}.");
            case WorkKind.FailFirstRun when run == 1:
                throw new InvalidOperationException($"Planned failure of the first run of job {context.Id}.");
            case WorkKind.FailFirstRun:
                break;
            case WorkKind.Cooperative:
                for (var i = 0; i < spins; i++)
                {
                    token.ThrowIfCancellationRequested();
                    await Task.Yield();
                }

                break;
            case WorkKind.UntilCancelled:
                await WaitForCancellationAsync(token);
                break;
            case WorkKind.WaitForGate:
                ledger.GateEntered.TrySetResult();
                await ledger.Gate.Task.WaitAsync(token);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown work kind.");
        }

        ledger.Succeeded(context.Id);
    }

    /// <summary>Completes only by throwing <see cref="OperationCanceledException"/> once <paramref name="token"/> is cancelled (no timer).</summary>
    private static async Task WaitForCancellationAsync(CancellationToken token)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (token.Register(static state => ((TaskCompletionSource)state!).TrySetResult(), cancelled))
        {
            await cancelled.Task;
        }

        token.ThrowIfCancellationRequested();
    }
}
