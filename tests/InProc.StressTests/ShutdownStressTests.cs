using InProc.StressTests.Support;
using Xunit.Abstractions;

namespace InProc.StressTests;

public sealed class ShutdownStressTests(ITestOutputHelper output)
{
    private const int Spins = 400; // yields per backlog job: a backlog that takes a while to drain

    [Fact]
    public async Task StopAsync_UnderLoad_DrainsBacklogAndReportsTheRest()
    {
        var timeout = TimeSpan.FromMilliseconds(200);
        var grace = TimeSpan.FromSeconds(5);
        var margin = TimeSpan.FromSeconds(15); // 2 busy cores: far above the stop's own work
        const int wide = 2_000;
        const int narrow = 500;
        await using var host = StressHost.Create(o =>
        {
            o.ShutdownTimeout = timeout;
            o.ShutdownGracePeriod = grace;
            o.AddQueue(StressHost.Wide, q => q.Capacity = wide);
            o.AddQueue(StressHost.Narrow, q => q.Capacity = narrow);
        });
        await host.StartAsync();

        // A few jobs in each queue wait for their token, fewer than the workers: the others go on draining, and the
        // drain can only end by its timeout, whatever the machine's speed.
        var blockers = new HashSet<JobId>();
        var refused = 0;
        for (var i = 0; i < wide; i++)
        {
            var blocks = i is wide / 2 or wide * 3 / 4;
            if (host.Jobs.TryEnqueue(new Work(blocks ? WorkKind.UntilCancelled : WorkKind.Cooperative, Spins), out var id))
            {
                Accept(host, blockers, id, blocks);
            }
            else
            {
                refused++;
            }
        }

        for (var i = 0; i < narrow; i++)
        {
            var blocks = i == narrow / 2;
            if (host.Jobs.TryEnqueue(new RetriedWork(blocks ? WorkKind.UntilCancelled : WorkKind.Cooperative, Spins), out var id))
            {
                Accept(host, blockers, id, blocks);
            }
            else
            {
                refused++;
            }
        }

        var stopTook = await host.StopAsync();

        var settled = await host.Ledger.WaitSettledAsync(host.Ledger.AcceptedCount, StressHost.Quiet);
        var audit = host.Ledger.Audit(host.Monitor);
        output.WriteLine($"stop took {stopTook.TotalMilliseconds:F0} ms (timeout {timeout.TotalMilliseconds:F0} ms, grace {grace.TotalSeconds:F0} s); TryEnqueue refused {refused}");
        output.WriteLine(audit.Report);

        Assert.True(audit.ProblemCount == 0, audit.Report);
        Assert.True(settled, audit.Report);
        Assert.Equal(audit.Accepted, audit.Succeeded + audit.Abandoned);
        Assert.Equal(0, audit.AbandonedForQueueFull);
        Assert.All(blockers, id => Assert.Equal(1, host.Ledger.Of(id).Abandoned));
        Assert.True(stopTook < timeout + grace + margin, $"stop took {stopTook}");
    }

    [Fact]
    public async Task StopAsync_RequeuedDeadLetterWaitingForSpace_RunsItInTheDrain()
    {
        // Found by RequeueDeadLetter_Racing_RunsOnce: re-runs accepted while their queue was full were reported
        // abandoned by a stop that had most of its 20 s left. Here made certain: one worker, one slot.
        await using var host = StressHost.Create(o => o.AddQueue(StressHost.Wide, q => (q.Capacity, q.Workers) = (1, 1)));
        await host.StartAsync();
        var first = await host.Jobs.EnqueueAsync(new Work(WorkKind.FailFirstRun));
        var second = await host.Jobs.EnqueueAsync(new Work(WorkKind.FailFirstRun));
        Assert.True(await host.Ledger.WaitSettledAsync(2, StressHost.Quiet), "both jobs dead-lettered");
        var gated = await host.Jobs.EnqueueAsync(new Work(WorkKind.WaitForGate));
        await host.Ledger.GateEntered.Task.WaitAsync(StressHost.Patience); // the only worker is busy

        Assert.True(host.Monitor.RequeueDeadLetter(first)); // takes the only slot
        Assert.True(host.Monitor.RequeueDeadLetter(second)); // accepted, waiting for space
        var stopping = host.BeginStopAsync();
        host.Ledger.Gate.SetResult(); // the drain can now run all three, with 20 s to do it
        await stopping.WaitAsync(StressHost.Patience);

        output.WriteLine($"first: {host.Ledger.Of(first)}; second: {host.Ledger.Of(second)}");
        Assert.Equal(JobState.Succeeded, host.Monitor.GetJob(gated)?.State);
        Assert.Equal((2, 1, 0), (host.Ledger.Of(first).Ran, host.Ledger.Of(first).Succeeded, host.Ledger.Of(first).Abandoned));
        Assert.Equal((2, 1, 0), (host.Ledger.Of(second).Ran, host.Ledger.Of(second).Succeeded, host.Ledger.Of(second).Abandoned));
        Assert.Equal(JobState.Succeeded, host.Monitor.GetJob(second)?.State);
    }

    private static void Accept(StressHost host, HashSet<JobId> blockers, JobId id, bool blocks)
    {
        host.Ledger.Accept(id);
        if (blocks)
        {
            blockers.Add(id);
        }
    }
}
