using InProc.Tests.Support;

namespace InProc.Tests.Monitoring;

public sealed class JobQueryTests
{
    [Fact]
    public void JobQuery_Defaults_AreEveryJobNewestFirstFifty()
    {
        var query = new JobQuery();

        Assert.Null(query.State);
        Assert.Null(query.Queue);
        Assert.Equal(0, query.Skip);
        Assert.Equal(50, query.Take);
        Assert.False(query.OldestFirst);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(501)]
    public void Take_OutOfRange_Throws(int take) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new JobQuery { Take = take });

    [Fact]
    public void Skip_Negative_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new JobQuery { Skip = -1 });

    [Fact]
    public async Task GetJobs_FilterAndPage_ReturnsMatchingJobsInIdOrder()
    {
        await using var host = await TestHost.StartAsync(o => o.AddQueue("slow"), b => b.AddJob<PingJob>().AddJob<BlockingJob>(j => j.Queue = "slow"));
        var scheduled = new List<JobId>();
        for (var i = 0; i < 5; i++)
        {
            scheduled.Add(await host.Jobs.ScheduleAsync(new Ping(i), TimeSpan.FromHours(1)));
        }

        var running = await host.Jobs.EnqueueAsync(new Blocking(0));
        await host.Gates.WaitEnteredAsync(0);

        var newest = host.Monitor.GetJobs(new JobQuery { State = JobState.Scheduled, Skip = 1, Take = 2 });
        var oldest = host.Monitor.GetJobs(new JobQuery { State = JobState.Scheduled, OldestFirst = true, Take = 1 });
        var slow = host.Monitor.GetJobs(new JobQuery { Queue = "slow" });
        var all = host.Monitor.GetJobs(new JobQuery());

        Assert.Equal(5, newest.TotalCount);
        Assert.Equal([scheduled[3], scheduled[2]], newest.Items.Select(j => j.Id));
        Assert.Equal((1, 2), (newest.Skip, newest.Take));
        Assert.Equal(scheduled[0], Assert.Single(oldest.Items).Id);
        Assert.Equal(running, Assert.Single(slow.Items).Id);
        Assert.Equal(JobState.Running, slow.Items[0].State);
        Assert.Equal(6, all.TotalCount);
        Assert.Equal(running, all.Items[0].Id);
        host.Gates.Open(0);
    }
}
