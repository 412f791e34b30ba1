using InProc.Tests.Support;
using Microsoft.Extensions.Options;

namespace InProc.Tests.Faults;

/// <summary>
/// Issue 8: validation rejects what the runtime cannot honour. A timer arms for at most ~49.7 days
/// (uint.MaxValue - 1 ms), so every timeout and budget above it fails at start-up with InProc's own message;
/// retention sizes are capped at 1,000,000 so the ring allocated at start always fits.
/// </summary>
public sealed class OptionLimitsTests
{
    private static readonly TimeSpan FiftyDays = TimeSpan.FromDays(50);

    // Each row: an option set beyond what the runtime can honour, and the option name the message must carry.
    public static TheoryData<string, Action<InProcOptions>> BeyondLimits => new()
    {
        { nameof(InProcOptions.DefaultTimeout), o => o.DefaultTimeout = FiftyDays },
        { nameof(InProcOptions.ShutdownTimeout), o => o.ShutdownTimeout = FiftyDays },
        { nameof(InProcOptions.ShutdownGracePeriod), o => o.ShutdownGracePeriod = FiftyDays },
        { nameof(InProcOptions.FinishedJobRetention), o => o.FinishedJobRetention = int.MaxValue },
        { nameof(InProcOptions.DeadLetterCapacity), o => o.DeadLetterCapacity = int.MaxValue },
    };

    [Theory]
    [MemberData(nameof(BeyondLimits))]
    public async Task StartAsync_OptionBeyondWhatTheRuntimeCanHonour_FailsNamingTheOptionAndItsLimit(string option, Action<InProcOptions> configure)
    {
        using var host = TestHost.Build(configure, b => b.AddJob<PingJob>());

        var error = await FaultChecks.StartupErrorAsync(host);

        var invalid = Assert.IsType<OptionsValidationException>(error);
        Assert.Equal(typeof(InProcOptions), invalid.OptionsType);
        var failure = Assert.Single(invalid.Failures);
        Assert.Contains(option, failure, StringComparison.Ordinal);
        Assert.Contains("at most", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_JobTimeoutBeyondTimerLimit_FailsNamingTheJobAndTimeout()
    {
        using var host = TestHost.Build(null, b => b.AddJob<PingJob>(j => j.Timeout = FiftyDays));

        var error = await FaultChecks.StartupErrorAsync(host);

        var invalid = Assert.IsType<OptionsValidationException>(error);
        var failure = Assert.Single(invalid.Failures);
        Assert.Contains(nameof(PingJob), failure, StringComparison.Ordinal);
        Assert.Contains(nameof(JobOptions.Timeout), failure, StringComparison.Ordinal);
        Assert.Contains("at most", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_JobQueueNull_FailsNamingQueueInsteadOfCrashingTheValidator()
    {
        using var host = TestHost.Build(null, b => b.AddJob<PingJob>(j => j.Queue = null!));

        var error = await FaultChecks.StartupErrorAsync(host);

        var invalid = Assert.IsType<OptionsValidationException>(error);
        var failure = Assert.Single(invalid.Failures);
        Assert.Contains(nameof(PingJob), failure, StringComparison.Ordinal);
        Assert.Contains(nameof(JobOptions.Queue), failure, StringComparison.Ordinal);
    }

    // Each row: an option at (or just under) its limit, which must still be accepted.
    public static TheoryData<string, Action<InProcOptions>> AtLimits => new()
    {
        { "FinishedJobRetention = 1,000,000", o => o.FinishedJobRetention = 1_000_000 },
        { "DeadLetterCapacity = 1,000,000", o => o.DeadLetterCapacity = 1_000_000 },
        { "DefaultTimeout = 49 days", o => o.DefaultTimeout = TimeSpan.FromDays(49) },
        { "ShutdownTimeout = 49 days", o => o.ShutdownTimeout = TimeSpan.FromDays(49) },
        { "ShutdownGracePeriod = 49 days", o => o.ShutdownGracePeriod = TimeSpan.FromDays(49) },
    };

    [Theory]
    [MemberData(nameof(AtLimits))]
    public async Task StartAsync_OptionAtItsLimit_IsAcceptedAndJobsRun(string row, Action<InProcOptions> configure)
    {
        _ = row; // names the row in the test list
        await using var host = await TestHost.StartAsync(configure, b => b.AddJob<PingJob>(j => j.Timeout = TimeSpan.FromDays(49)));

        var id = await host.Jobs.EnqueueAsync(new Ping(1));

        Assert.Equal(1, (await host.WaitForStateAsync(id, JobState.Succeeded)).Attempt);
    }
}
