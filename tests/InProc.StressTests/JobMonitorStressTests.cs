using InProc.StressTests.Support;
using Xunit.Abstractions;

namespace InProc.StressTests;

public sealed class JobMonitorStressTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RequeueDeadLetter_Racing_RunsOnce()
    {
        const int count = 400;
        const int threads = 4;
        await using var host = StressHost.Create();
        await host.StartAsync();
        var ids = new JobId[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = await host.Jobs.EnqueueAsync(new Work(WorkKind.FailFirstRun));
            host.Ledger.Accept(ids[i]);
        }

        Assert.True(await host.Ledger.WaitSettledAsync(count, StressHost.Quiet), $"{host.Ledger.Settled} of {count} jobs dead-lettered");
        Assert.Equal(ids.Order(), host.Monitor.GetDeadLetters().Select(d => d.Id).Order());

        // Two threads walk the ids in the same order (they meet on every id at once), two in their own seeded order.
        using var barrier = new Barrier(threads);
        var requeuers = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(
            () =>
            {
                var order = ids.ToArray();
                if (t % 2 == 1)
                {
                    new Random(t).Shuffle(order);
                }

                if (!barrier.SignalAndWait(StressHost.Patience))
                {
                    throw new TimeoutException("The re-queueing threads did not all start.");
                }

                foreach (var id in order)
                {
                    if (host.Monitor.RequeueDeadLetter(id))
                    {
                        host.Ledger.Requeued(id);
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        await Task.WhenAll(requeuers).WaitAsync(StressHost.Patience);

        // 400 re-runs into a queue of 256: wait for them before stopping, so this test is about the re-queue race only
        // (a re-run still waiting for space when the stop begins is ShutdownStressTests' case). The stop then drains any
        // extra run that a second winning re-queue would have queued.
        var reran = await host.Ledger.WaitSucceededAsync(count, StressHost.Quiet);
        var stopTook = await host.StopAsync();

        var tallies = ids.Select(host.Ledger.Of).ToArray();
        var states = ids.Select(id => host.Monitor.GetJob(id)?.State).ToArray();
        output.WriteLine(
            $"{count} dead letters re-queued from {threads} threads: requeue true {tallies.Sum(t => t.Requeued)}, runs {tallies.Sum(t => t.Ran)}, " +
            $"succeeded {tallies.Sum(t => t.Succeeded)}, abandoned {tallies.Sum(t => t.Abandoned)}; stop took {stopTook.TotalMilliseconds:F0} ms");

        Assert.True(reran, $"{tallies.Sum(t => t.Succeeded)} of {count} re-runs succeeded");
        Assert.All(tallies, t => Assert.Equal(1, t.Requeued));
        Assert.All(tallies, t => Assert.Equal(2, t.Ran));
        Assert.All(tallies, t => Assert.Equal((1, 1, 0, 0), (t.DeadLettered, t.Succeeded, t.Abandoned, t.Cancelled)));
        Assert.All(states, s => Assert.Equal(JobState.Succeeded, s));
        Assert.Empty(host.Monitor.GetDeadLetters());
    }
}
