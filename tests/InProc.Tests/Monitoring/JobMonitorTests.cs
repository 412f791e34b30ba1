using InProc.Tests.Support;

namespace InProc.Tests.Monitoring;

public sealed class JobMonitorTests
{
    [Fact]
    public async Task GetJob_Lifecycle_ShowsStatesAndTimestamps()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<BlockingJob>());
        var enqueuedAt = host.Clock.GetUtcNow();
        var id = await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);

        var running = host.Monitor.GetJob(id)!;
        Assert.Equal(JobState.Running, running.State);
        Assert.Equal(nameof(Blocking), running.MessageType);
        Assert.Equal("default", running.Queue);
        Assert.Equal(enqueuedAt, running.EnqueuedAt);
        Assert.Equal(enqueuedAt, running.StartedAt);
        Assert.Null(running.FinishedAt);
        Assert.False(running.IsFinished);

        host.Clock.AdvanceStepwise(TimeSpan.FromSeconds(2));
        host.Gates.Open(0);
        var done = await host.WaitForStateAsync(id, JobState.Succeeded);
        Assert.Equal(enqueuedAt.AddSeconds(2), done.FinishedAt);
        Assert.True(done.IsFinished);
        Assert.Null(done.Error);
    }

    [Fact]
    public async Task ReportProgress_WhileRunning_IsVisible()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<BlockingJob>());
        var id = await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);

        host.Probe.Runs.Single().Context.ReportProgress(0.4, "page 4 of 10");

        var snapshot = host.Monitor.GetJob(id)!;
        Assert.Equal(0.4, snapshot.Progress);
        Assert.Equal("page 4 of 10", snapshot.ProgressStatus);
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Probe.Runs.Single().Context.ReportProgress(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Probe.Runs.Single().Context.ReportProgress(double.NaN));
        host.Gates.Open(0);
    }

    [Fact]
    public async Task GetJob_MoreFinishedThanRetention_ForgetsTheOldest()
    {
        await using var host = await TestHost.StartAsync(o => o.FinishedJobRetention = 5, b => b.AddJob<PingJob>());
        var ids = new List<JobId>();
        for (var i = 0; i < 12; i++)
        {
            var id = await host.Jobs.EnqueueAsync(new Ping(i));
            await host.WaitForStateAsync(id, JobState.Succeeded);
            ids.Add(id);
        }

        Assert.All(ids.Take(7), id => Assert.Null(host.Monitor.GetJob(id)));
        Assert.All(ids.Skip(7), id => Assert.NotNull(host.Monitor.GetJob(id)));
        var runtime = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<InProc.Hosting.InProcRuntime>(host.Services);
        Assert.Equal(5, runtime.Store.Count); // the index shrinks too: memory is bounded
    }

    [Fact]
    public async Task GetJob_FinishedLongerAgoThanRetentionPeriod_IsForgotten()
    {
        await using var host = await TestHost.StartAsync(o => o.FinishedJobRetentionPeriod = TimeSpan.FromMinutes(30), b => b.AddJob<PingJob>());
        var id = await host.Jobs.EnqueueAsync(new Ping(1));
        await host.WaitForStateAsync(id, JobState.Succeeded);

        host.Clock.AdvanceStepwise(TimeSpan.FromMinutes(30));
        Assert.NotNull(host.Monitor.GetJob(id));
        host.Clock.AdvanceStepwise(TimeSpan.FromTicks(1));
        Assert.Null(host.Monitor.GetJob(id));
    }

    [Fact]
    public async Task GetQueues_ListsEveryQueueWithSettings()
    {
        await using var host = await TestHost.StartAsync(o => o.AddQueue("mail", q => { q.Workers = 2; q.Capacity = 10; q.FullMode = QueueFullMode.Reject; }), b => b.AddJob<PingJob>());

        var queues = host.Monitor.GetQueues();

        Assert.Equal(["default", "mail"], queues.Select(q => q.Name));
        var mail = queues[1];
        Assert.Equal((2, 10, QueueFullMode.Reject, 0, 0), (mail.Workers, mail.Capacity, mail.FullMode, mail.Waiting, mail.Running));
    }

    [Fact]
    public async Task GetJob_Snapshot_SerializesToJsonWithStateNames()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>());
        var id = await host.Jobs.EnqueueAsync(new Ping(1));
        var snapshot = await host.WaitForStateAsync(id, JobState.Succeeded);

        var json = System.Text.Json.JsonSerializer.Serialize(snapshot, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));

        Assert.Contains("\"state\":\"Succeeded\"", json, StringComparison.Ordinal);
        Assert.Contains($"\"id\":\"{id}\"", json, StringComparison.Ordinal);
        Assert.Contains("\"attempt\":1", json, StringComparison.Ordinal);

        var back = System.Text.Json.JsonSerializer.Deserialize<JobSnapshot>(json, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Equal((snapshot.Id, snapshot.State, snapshot.FinishedAt, snapshot.MessageType), (back.Id, back.State, back.FinishedAt, back.MessageType));
    }
}
