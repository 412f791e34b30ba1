using System.Threading.Channels;
using InProc.StressTests.Support;
using Xunit.Abstractions;

namespace InProc.StressTests;

public sealed class JobQueueStressTests(ITestOutputHelper output)
{
    private const int Producers = 4;
    private const int CallsPerProducer = 5_000;
    private const int Batch = 50;

    [Theory]
    // The drain times out at once: the backlog is abandoned and running jobs are cancelled.
    [InlineData(1, 0)]
    [InlineData(4, 0)]
    // The drain times out part-way through the backlog.
    [InlineData(2, 20)]
    [InlineData(5, 2)]
    // The drain finishes: only delayed jobs and retries not yet due are abandoned.
    [InlineData(3, 10_000)]
    public async Task ProducersCancelStop_Race_EveryIdAccountedExactlyOnce(int seed, int shutdownTimeoutMs)
    {
        await using var host = StressHost.Create(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(shutdownTimeoutMs));
        await host.StartAsync();
        var random = new Random(seed);
        const int total = Producers * CallsPerProducer;
        var race = new ShutdownRace(host, new IdBoard(), total, random.Next(total * 3 / 10, total * 7 / 10));
        var producerSeeds = Enumerable.Range(0, Producers).Select(_ => random.Next()).ToArray();
        var cancellerSeed = random.Next();

        var stopping = race.WaitForStopAsync();
        var canceller = Task.Run(() => race.CancelAsync(cancellerSeed));
        var producers = producerSeeds.Select(s => Task.Run(() => race.ProduceAsync(s, CallsPerProducer))).ToArray();
        await Task.WhenAll(producers).WaitAsync(StressHost.Patience);
        race.ProducersDone = true;
        await canceller.WaitAsync(StressHost.Patience);
        var stopTook = await stopping.WaitAsync(StressHost.Patience);

        // Once the stop returned, only a due retry or delayed job caught on its way into a closed queue may still be
        // reporting itself (abandoned, on the timer's thread): wait for every accepted id to have its outcome.
        var settled = await host.Ledger.WaitSettledAsync(host.Ledger.AcceptedCount, StressHost.Quiet);
        var audit = host.Ledger.Audit(host.Monitor);
        output.WriteLine($"seed {seed}, ShutdownTimeout {shutdownTimeoutMs} ms: stop took {stopTook.TotalMilliseconds:F0} ms");
        output.WriteLine(race.Summary);
        output.WriteLine(audit.Report);

        Assert.True(audit.ProblemCount == 0, audit.Report);
        Assert.True(settled, audit.Report);
        Assert.Equal(0, host.Ledger.DuplicateIds);
        Assert.Equal(race.Accepted, audit.Accepted);
        Assert.Equal(total, race.Accepted + race.Refused + race.QueueFull + race.StoppingThrows);
        Assert.Equal(0, race.RefusedWithId);
        Assert.Equal(0, race.ThrewBeforeStop);
        Assert.Equal(0, audit.AbandonedForQueueFull); // Wait and Reject queues never drop a job
        Assert.True(race.StoppingThrows > 0, $"no call met the stop: {race.Summary}");
    }

    [Fact]
    public async Task Cancel_RacingWorkers_ExactlyOneWins()
    {
        const int count = 20_000;
        const int cancellers = 2;
        await using var host = StressHost.Create(o => o.AddQueue(StressHost.Wide, q => q.Capacity = count));
        await host.StartAsync();

        // Ids go to the workers in batches through the queue; each batch then goes to both cancellers newest first.
        // Workers take a batch from its oldest end while the cancellers take it from its newest: they meet inside
        // every batch, where a worker's start and two Cancel calls race for the same job.
        var handoffs = Enumerable.Range(0, cancellers).Select(_ => Channel.CreateUnbounded<JobId>()).ToArray();
        var cancelling = handoffs.Select(handoff => Task.Run(async () =>
        {
            await foreach (var id in handoff.Reader.ReadAllAsync())
            {
                if (host.Jobs.Cancel(id))
                {
                    host.Ledger.Cancelled(id);
                }
            }
        })).ToArray();
        var ids = new JobId[count];
        for (var batch = 0; batch < count; batch += Batch)
        {
            for (var i = batch; i < batch + Batch; i++)
            {
                ids[i] = await host.Jobs.EnqueueAsync(new Work(WorkKind.Succeed));
                host.Ledger.Accept(ids[i]);
            }

            for (var i = batch + Batch - 1; i >= batch; i--)
            {
                foreach (var handoff in handoffs)
                {
                    Assert.True(handoff.Writer.TryWrite(ids[i]));
                }
            }
        }

        foreach (var handoff in handoffs)
        {
            handoff.Writer.Complete();
        }

        await Task.WhenAll(cancelling).WaitAsync(StressHost.Patience);
        var stopTook = await host.StopAsync(); // a long drain: every job not cancelled runs before it returns

        var audit = host.Ledger.Audit(host.Monitor);
        var cancelledButRan = ids.Count(id => host.Ledger.Of(id) is { Cancelled: > 0, Ran: > 0 });
        var ranMoreThanOnce = ids.Count(id => host.Ledger.Of(id).Ran > 1);
        output.WriteLine($"{audit.Report}; cancelled but ran {cancelledButRan}; ran more than once {ranMoreThanOnce}; stop took {stopTook.TotalMilliseconds:F0} ms");

        Assert.True(audit.ProblemCount == 0, audit.Report);
        Assert.Equal(count, audit.Succeeded + audit.Cancelled);
        Assert.Equal(0, cancelledButRan);
        Assert.Equal(0, ranMoreThanOnce);
    }
}
