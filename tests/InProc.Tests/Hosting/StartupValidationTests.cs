using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InProc.Tests.Hosting;

public sealed class StartupValidationTests
{
    [Fact]
    public async Task StartAsync_JobClassWithoutIJob_FailsNamingTheClass()
    {
        using var host = TestHost.Build(null, b => b.AddJob<NotAJob>());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("NotAJob", error.Message, StringComparison.Ordinal);
        Assert.Contains("implements no IJob<TMessage>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_TwoJobsForOneMessage_FailsNamingBoth()
    {
        using var host = TestHost.Build(null, b => b.AddJob<PingJob>().AddJob<OtherPingJob>());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("'Ping' has two jobs, 'PingJob' and 'OtherPingJob'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_UnknownQueue_FailsSayingHowToAddIt()
    {
        using var host = TestHost.Build(null, b => b.AddJob<PingJob>(j => j.Queue = "mail"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("uses queue 'mail', which is not configured", error.Message, StringComparison.Ordinal);
        Assert.Contains("o.AddQueue(\"mail\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 10, "Workers = 0")]
    [InlineData(-1, 10, "Workers = -1")]
    [InlineData(1, 0, "Capacity = 0")]
    public async Task StartAsync_InvalidQueueSize_FailsNamingQueueAndSetting(int workers, int capacity, string expected)
    {
        using var host = TestHost.Build(o => o.AddQueue("mail", q => { q.Workers = workers; q.Capacity = capacity; }), b => b.AddJob<PingJob>());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"Queue 'mail' has {expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_SeveralProblems_ReportsEveryOneInOneMessage()
    {
        using var host = TestHost.Build(
            o =>
            {
                o.AddQueue("default", q => q.Workers = 0);
                o.ShutdownTimeout = TimeSpan.FromSeconds(-1);
                o.DefaultTimeout = TimeSpan.Zero;
            },
            b => b.AddJob<NotAJob>().AddJob<PingJob>(j => j.Queue = "nope"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(typeof(InProcOptions), error.OptionsType);
        Assert.Equal(5, error.Failures.Count());
        Assert.Contains("Workers = 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("ShutdownTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("DefaultTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("NotAJob", error.Message, StringComparison.Ordinal);
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnqueueAsync_WithoutHost_ValidatesOnFirstUse()
    {
        var services = new ServiceCollection();
        services.AddInProc(o => o.AddQueue("default", q => q.Capacity = 0)).AddJob<PingJob>();
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IJobQueue>());

        Assert.Contains("Capacity = 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnqueueAsync_UnregisteredMessageType_ThrowsNamingTypeAndFix()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Jobs.EnqueueAsync(new Unregistered()).AsTask());

        Assert.Contains(typeof(Unregistered).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains("IJob<Unregistered>", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddJob<", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => host.Jobs.TryEnqueue(new Unregistered(), out _));
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Jobs.ScheduleAsync(new Unregistered(), TimeSpan.FromMinutes(1)).AsTask());
    }

    [Fact]
    public async Task EnqueueAsync_NullMessage_ThrowsArgumentNull()
    {
        await using var host = await TestHost.StartAsync(null, b => b.AddJob<PingJob>());

        var error = await Assert.ThrowsAsync<ArgumentNullException>(() => host.Jobs.EnqueueAsync<Ping>(null!).AsTask());

        Assert.Equal("message", error.ParamName);
        Assert.Throws<ArgumentNullException>(() => host.Jobs.TryEnqueue<Ping>(null!, out _));
        await Assert.ThrowsAsync<ArgumentNullException>(() => host.Jobs.ScheduleAsync<Ping>(null!, TimeSpan.FromSeconds(1)).AsTask());
    }

    [Fact]
    public void RetryPolicy_InvalidArguments_ThrowSayingWhy()
    {
        var attempts = Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Exponential(maxAttempts: 0));
        Assert.Contains("at least 1", attempts.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Fixed(3, TimeSpan.FromSeconds(-1)));
        var cap = Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Exponential(3, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(1)));
        Assert.Equal("maxDelay", cap.ParamName);
    }

    internal sealed record Unregistered;

    internal sealed class NotAJob
    {
    }

    internal sealed class OtherPingJob : IJob<Ping>
    {
        public Task RunAsync(Ping message, JobContext context) => Task.CompletedTask;
    }
}
