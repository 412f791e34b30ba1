using System.Collections.Concurrent;
using InProc.Hosting;
using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.Tests.Hosting;

/// <summary>Issue 8: a start that overlaps a stop must not skip the report of waiting jobs.</summary>
public sealed class StartStopRaceTests
{
    [Fact]
    public async Task StartAndStop_Overlapping_EveryQueuedJobRunsOrIsReported()
    {
        for (var round = 0; round < 40; round++)
        {
            var abandoned = new ConcurrentDictionary<JobId, int>();
            await using var host = await TestHost.StartAsync(
                o => o.OnAbandoned = a => abandoned.AddOrUpdate(a.Id, 1, (_, n) => n + 1),
                b => b.AddJob<PingJob>(),
                start: false);
            var runtime = host.Services.GetRequiredService<InProcRuntime>();
            var ids = new List<JobId>();
            for (var i = 0; i < 20; i++)
            {
                ids.Add(await host.Jobs.EnqueueAsync(new Ping(i)));
            }

            using var go = new Barrier(2);
            var start = Task.Run(() =>
            {
                go.SignalAndWait(TestHost.Patience);
                try
                {
                    runtime.Start();
                }
                catch (InvalidOperationException)
                {
                    // the stop came first: starting is refused, and the stop reports the queue
                }
            });
            var stop = Task.Run(() =>
            {
                go.SignalAndWait(TestHost.Patience);
                return runtime.StopAsync(CancellationToken.None);
            });
            await Task.WhenAll(start, stop).WaitAsync(TestHost.Patience);

            foreach (var id in ids)
            {
                var state = host.Monitor.GetJob(id)!.State;
                Assert.True(state is JobState.Succeeded or JobState.Abandoned, $"round {round}: job {id} ended {state}");
                Assert.Equal(state == JobState.Abandoned ? 1 : 0, abandoned.GetValueOrDefault(id));
            }
        }
    }
}
