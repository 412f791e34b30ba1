namespace InProc.Tests;

public sealed class InProcOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new InProcOptions();

        Assert.Equal(TimeSpan.FromSeconds(25), options.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ShutdownGracePeriod);
        Assert.Null(options.DefaultTimeout);
        Assert.Equal(10_000, options.FinishedJobRetention);
        Assert.Equal(TimeSpan.FromHours(1), options.FinishedJobRetentionPeriod);
        Assert.Equal(1_000, options.DeadLetterCapacity);
        Assert.Null(options.OnAbandoned);
        Assert.Null(options.OnJobFailed);

        var retry = options.DefaultRetry;
        Assert.Equal(5, retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), retry.BaseDelay);
        Assert.Equal(TimeSpan.FromMinutes(5), retry.MaxDelay);
        Assert.True(retry.IsExponential);
        Assert.True(retry.Jitter);

        var queue = Assert.Single(options.Queues);
        Assert.Equal("default", queue.Name);
        Assert.Equal(4, queue.Workers);
        Assert.Equal(1_000, queue.Capacity);
        Assert.Equal(QueueFullMode.Wait, queue.FullMode);
    }

    [Fact]
    public void JobOptions_Defaults_UseDefaultQueueAndGlobalPolicies()
    {
        var options = new JobOptions();

        Assert.Equal("default", options.Queue);
        Assert.Null(options.Timeout);
        Assert.Null(options.Retry);
    }

    [Fact]
    public void AddQueue_SameNameTwice_ConfiguresOneQueue()
    {
        var options = new InProcOptions()
            .AddQueue("mail", q => q.Workers = 2)
            .AddQueue("mail", q => q.Capacity = 50)
            .AddQueue("default", q => q.Workers = 8);

        Assert.Equal(["default", "mail"], options.Queues.Select(q => q.Name));
        var mail = options.Queues[1];
        Assert.Equal(2, mail.Workers);
        Assert.Equal(50, mail.Capacity);
        Assert.Equal(8, options.Queues[0].Workers);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void AddQueue_BlankName_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => new InProcOptions().AddQueue(name));
    }
}
