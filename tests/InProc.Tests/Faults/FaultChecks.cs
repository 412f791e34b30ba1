using InProc.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace InProc.Tests.Faults;

/// <summary>What most fault tests check after the fault: start-up errors, and that the queue and the stop still work.</summary>
internal static class FaultChecks
{
    /// <summary>Starts <paramref name="host"/> and returns what it threw; a host that starts is stopped again and gives <c>null</c>.</summary>
    public static async Task<Exception?> StartupErrorAsync(IHost host)
    {
        try
        {
            await host.StartAsync().WaitAsync(TestHost.Patience);
        }
#pragma warning disable CA1031 // The test asserts on whatever start-up threw.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ex;
        }

        await host.StopAsync().WaitAsync(TestHost.Patience);
        return null;
    }

    /// <summary>
    /// The worker survived: a <see cref="Ping"/> enqueued after the fault runs to <see cref="JobState.Succeeded"/>
    /// (with one worker, on the same worker), then the host stops within <see cref="TestHost.Patience"/>.
    /// </summary>
    public static async Task AssertQueueRunsOnAndStopCompletesAsync(TestHost host, int pingNumber = 1000)
    {
        var next = await host.Jobs.EnqueueAsync(new Ping(pingNumber));
        var done = await host.WaitForStateAsync(next, JobState.Succeeded);
        Assert.Equal(1, done.Attempt);
        Assert.Contains(host.Probe.Runs, r => r.Message.Equals(new Ping(pingNumber)));

        await host.StopAsync().WaitAsync(TestHost.Patience);
    }
}
