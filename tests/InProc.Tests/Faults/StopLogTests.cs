using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InProc.Tests.Faults;

/// <summary>Issue 8: the "Stopping" line counts the running jobs as well as the queued ones.</summary>
public sealed class StopLogTests
{
    [Fact]
    public async Task StopAsync_OneRunningOneQueued_StoppingLogCountsBoth()
    {
        var logs = new CapturingLoggerProvider("InProc");
        await using var host = await TestHost.StartAsync(
            o =>
            {
                o.AddQueue("default", q => q.Workers = 1);
                o.ShutdownTimeout = TimeSpan.FromSeconds(10);
            },
            b => b.AddJob<BlockingJob>(),
            s => s.AddLogging(l => l.AddProvider(logs)));
        await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);
        await host.Jobs.EnqueueAsync(new Blocking(1));

        var stopping = host.StopAsync();
        var entry = await logs.WaitForAsync(e => e.EventId.Id == 2);
        host.Gates.Open(0);
        host.Gates.Open(1); // the queued job runs in the drain, then stop returns
        await stopping.WaitAsync(TestHost.Patience);

        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Contains("Running", entry.State.Keys);
        Assert.Equal(1, Convert.ToInt32(entry.State["Running"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, Convert.ToInt32(entry.State["Waiting"], System.Globalization.CultureInfo.InvariantCulture));
    }
}
