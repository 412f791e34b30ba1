using InProc.AspNetCore.Tests.Support;
using InProc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace InProc.AspNetCore.Tests.HealthChecks;

public sealed partial class InProcHealthChecksTests
{
    [Fact]
    public void Options_Defaults_ArePinned()
    {
        var options = new InProcHealthCheckOptions();

        Assert.Equal("inproc", options.Name);
        Assert.Equal(["ready"], options.ReadinessTags);
        Assert.Equal(["live"], options.LivenessTags);
        Assert.Equal(0.8, options.SaturationThreshold);
        Assert.Equal(TimeSpan.FromMinutes(1), options.SaturationDuration);
        Assert.Equal(HealthStatus.Degraded, options.SaturationStatus);
        Assert.Equal(TimeSpan.FromMinutes(5), options.MaxWaitingAge);
        Assert.Equal(HealthStatus.Degraded, options.WaitingAgeStatus);
        Assert.Equal(HealthStatus.Degraded, options.DeadLettersGrowingStatus);
        Assert.Equal(HealthStatus.Unhealthy, options.StoppingStatus);
        Assert.Equal(TimeSpan.FromHours(26), options.MaxRecurringTickAge);
        Assert.Equal(TimeSpan.FromMinutes(5), options.RecurringOverdue);
        Assert.Equal(HealthStatus.Unhealthy, options.RecurringStalledStatus);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(26, 0)]
    [InlineData(-1, 5)]
    public void AddInProc_RecurringThresholdNotPositive_Throws(int tickAgeHours, int overdueMinutes)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddHealthChecks().AddInProc(o =>
        {
            o.MaxRecurringTickAge = TimeSpan.FromHours(tickAgeHours);
            o.RecurringOverdue = TimeSpan.FromMinutes(overdueMinutes);
        }));

        Assert.Contains("MaxRecurringTickAge and RecurringOverdue must be positive", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1.5)]
    public void AddInProc_ThresholdOutOfRange_Throws(double threshold) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddHealthChecks().AddInProc(o => o.SaturationThreshold = threshold));

    [Fact]
    public async Task Readiness_QueueSaturated_DegradedOnlyAfterTheDuration()
    {
        using var fixture = new Fixture(o => o.MaxWaitingAge = null);
        for (var i = 0; i < 4; i++)
        {
            await fixture.Jobs.EnqueueAsync(new Ping(i)); // never started: 4 of 5 places taken in "mail"
        }

        var first = await fixture.ReadyAsync();
        fixture.Clock.AdvanceStepwise(TimeSpan.FromSeconds(59));
        var before = await fixture.ReadyAsync();
        fixture.Clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        var after = await fixture.ReadyAsync();

        Assert.Equal(HealthStatus.Healthy, first.Status);
        Assert.Equal(HealthStatus.Healthy, before.Status);
        Assert.Equal(HealthStatus.Degraded, after.Status);
        Assert.Contains("queue 'mail' is 80% full (4/5)", after.Description, StringComparison.Ordinal);
        Assert.Equal(4, after.Data["queue.mail.waiting"]);
    }

    [Fact]
    public async Task Readiness_OldestWaitingJobTooOld_Degraded()
    {
        using var fixture = new Fixture(o => o.SaturationThreshold = 1);
        var oldest = await fixture.Jobs.EnqueueAsync(new Ping(1));
        fixture.Clock.AdvanceStepwise(TimeSpan.FromMinutes(1));
        await fixture.Jobs.EnqueueAsync(new Ping(2));

        fixture.Clock.AdvanceStepwise(TimeSpan.FromMinutes(4));
        var atLimit = await fixture.ReadyAsync();
        fixture.Clock.AdvanceStepwise(TimeSpan.FromSeconds(1));
        var over = await fixture.ReadyAsync();

        Assert.Equal(HealthStatus.Healthy, atLimit.Status);
        Assert.Equal(HealthStatus.Degraded, over.Status);
        Assert.Contains($"job {oldest} in queue 'mail' has waited 301 s", over.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_DeadLettersGrow_DegradedUntilTheNextCheck()
    {
        using var fixture = new Fixture(synchronous: true);
        var empty = await fixture.ReadyAsync();
        await Assert.ThrowsAsync<BoomException>(() => fixture.Jobs.EnqueueAsync(new Boom("x")).AsTask());
        var grew = await fixture.ReadyAsync();
        var same = await fixture.ReadyAsync();

        Assert.Equal(HealthStatus.Healthy, empty.Status);
        Assert.Equal(HealthStatus.Degraded, grew.Status);
        Assert.Contains("dead letters grew from 0 to 1", grew.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, same.Status);
    }

    [Fact]
    public async Task Readiness_Stopping_UnhealthyWhileLivenessStaysHealthy()
    {
        using var fixture = new Fixture();
        fixture.Lifetime.StopApplication();

        var ready = await fixture.ReadyAsync();
        var live = await fixture.CheckAsync("live");

        Assert.Equal(HealthStatus.Unhealthy, ready.Status);
        Assert.Contains("stopping", ready.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, live.Status);
        Assert.Equal(["inproc-live"], live.Entries.Keys);
    }

    private sealed class Fixture : IDisposable
    {
        private readonly ServiceProvider _services;

        public Fixture(Action<InProcHealthCheckOptions>? configure = null, bool synchronous = false, Action<InProcBuilder>? jobs = null, bool frozen = false)
        {
            var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(Clock).AddSingleton<IHostApplicationLifetime>(Lifetime);
            var inproc = services.AddInProc(o => o.AddQueue("mail", q => q.Capacity = 5))
                .AddJob<PingJob>(j => j.Queue = "mail")
                .AddJob<BoomJob>(j => j.Retry = RetryPolicy.None);
            jobs?.Invoke(inproc);
            if (synchronous)
            {
                inproc.UseSynchronousMode();
            }

            if (frozen)
            {
                FrozenRecurringMonitor.Decorate(services);
            }

            services.AddHealthChecks().AddInProc(configure);
            _services = services.BuildServiceProvider();
        }

        public TimerAwareFakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        public FakeLifetime Lifetime { get; } = new();

        public IJobQueue Jobs => _services.GetRequiredService<IJobQueue>();

        public IJobMonitor Monitor => _services.GetRequiredService<IJobMonitor>();

        public FrozenRecurringMonitor Frozen => _services.GetRequiredService<FrozenRecurringMonitor>();

        public async Task<HealthReportEntry> LiveAsync() => (await CheckAsync("live")).Entries["inproc-live"];

        public async Task<HealthReportEntry> ReadyAsync() => (await CheckAsync("ready")).Entries["inproc"];

        public Task<HealthReport> CheckAsync(string tag) =>
            _services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains(tag));

        public void Dispose() => _services.Dispose();
    }

    private sealed class FakeLifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();

        public void Dispose() => _stopping.Dispose();
    }
}
