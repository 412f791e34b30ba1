using InProc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InProc.Tests.Recurring;

public sealed class RecurringJobsValidatorTests
{
    private static string Failure(Action<InProcBuilder> add, Action<InProcOptions>? options = null)
    {
        var services = new ServiceCollection();
        add(services.AddInProc(options));
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<InProcOptions>>().Value).Message;
    }

    private static void Valid(Action<InProcBuilder> add, Action<InProcOptions>? options = null)
    {
        var services = new ServiceCollection();
        add(services.AddInProc(options));
        using var provider = services.BuildServiceProvider();
        Assert.NotNull(provider.GetRequiredService<IOptions<InProcOptions>>().Value);
    }

    private static InProcBuilder Purge(InProcBuilder b, string cron = "0 3 * * *", Action<RecurringJobOptions>? r = null) =>
        b.AddJob<PurgeDeletedUsersJob>().AddRecurringJob<PurgeDeletedUsersJob>("purge", cron, r);

    [Fact]
    public void Validate_WellFormedJobs_Pass()
    {
        Valid(
            b => b.AddJob<PurgeDeletedUsersJob>().AddJob<NightlyTotalsJob>()
                .AddRecurringJob<PurgeDeletedUsersJob>("purge", "0 3 * * *", r => r.TimeZone = "Europe/Berlin")
                .AddRecurringJob<PurgeDeletedUsersJob>("purge-fast", "*/30 * * * * *", r => { r.TimeZone = "W. Europe Standard Time"; r.Queue = "maintenance"; })
                .AddRecurringJob<NightlyTotalsJob, NightlyTotals>("totals", "@daily", s => new NightlyTotals(s), r => r.Misfire = MisfirePolicy.RunAll),
            o => o.AddQueue("maintenance"));
    }

    [Fact]
    public void Validate_ReadmeExample_Passes()
    {
        // README.md, "Recurring jobs", first example, verbatim (tests/InProc.Docs.Tests/Recurring runs it too).
        Valid(b => b
            .AddJob<PurgeDeletedUsersJob>()
            .AddJob<NightlyTotalsJob>()
            .AddRecurringJob<PurgeDeletedUsersJob>("purge", "0 3 * * *", r => r.TimeZone = "Europe/Berlin")
            .AddRecurringJob<NightlyTotalsJob, NightlyTotals>(
                "totals", "30 0 * * *", slot => new NightlyTotals(slot.AddDays(-1)),
                r => { r.TimeZone = "Europe/Berlin"; r.Misfire = MisfirePolicy.RunAll; })
            .AddRecurringJob<PurgeDeletedUsersJob>("purge-fast", "*/30 * * * * *", r =>
            {
                r.Queue = "maintenance";
                r.Enabled = false;
            }),
            o => o.AddQueue("maintenance"));
    }

    [Fact]
    public void Validate_DuplicateName_FailsNamingBothJobs()
    {
        var message = Failure(b => Purge(b).AddJob<NightlyTotalsJob>().AddRecurringJob<NightlyTotalsJob, NightlyTotals>("purge", "0 4 * * *", s => new NightlyTotals(s)));

        Assert.Contains("Recurring job 'purge' is added twice (running 'PurgeDeletedUsersJob' and 'NightlyTotalsJob'); names are unique.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InvalidExpression_FailsWithCronosMessageExpressionAndName()
    {
        var message = Failure(b => Purge(b, "61 3 * * *"));

        Assert.Contains("Recurring job 'purge' has an invalid cron expression '61 3 * * *': ", message, StringComparison.Ordinal);
        Assert.Contains("Minutes: Value must be a number between 0 and 59", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 3 * *", 4)]
    [InlineData("0 0 3 * * * 2026", 7)]
    [InlineData("", 0)]
    public void Validate_WrongFieldCount_FailsSayingWhichFieldsToUse(string cron, int fields)
    {
        var message = Failure(b => Purge(b, cron));

        Assert.Contains($"Recurring job 'purge' has the cron expression '{cron}' with {fields} fields; use 5 (minute hour day-of-month month day-of-week), 6 (second", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownTimeZone_FailsSuggestingIds()
    {
        var message = Failure(b => Purge(b, r: r => r.TimeZone = "Europe/Berln"));

        Assert.Contains("Recurring job 'purge' has TimeZone 'Europe/Berln', which is not a time zone on this machine; use an IANA id such as \"Europe/Berlin\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownWindowsTimeZone_MentionsIcu()
    {
        var message = Failure(b => Purge(b, r: r => r.TimeZone = "Middle Earth Standard Time"));

        Assert.Contains("TimeZone 'Middle Earth Standard Time', which is not a time zone on this machine;", message, StringComparison.Ordinal);
        Assert.Contains("Off Windows, a Windows id needs ICU", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmptyTimeZone_Fails()
    {
        var message = Failure(b => Purge(b, r: r => r.TimeZone = " "));

        Assert.Contains("Recurring job 'purge' has an empty TimeZone;", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 0 30 2 *")]
    [InlineData("0 0 0 31 4 *")]
    public void Validate_ExpressionThatNeverFires_Fails(string cron)
    {
        var message = Failure(b => Purge(b, cron));

        Assert.Contains($"Recurring job 'purge' has the cron expression '{cron}', which never fires: no date matches it.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_JobNotRegistered_FailsSayingToAddIt()
    {
        var message = Failure(b => b.AddRecurringJob<PurgeDeletedUsersJob>("purge", "0 3 * * *"));

        Assert.Contains("Recurring job 'purge' runs 'PurgeDeletedUsersJob', which is not registered. Add .AddJob<PurgeDeletedUsersJob>()", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MessageWithoutParameterlessConstructor_FailsPointingToTheFactoryForm()
    {
        var message = Failure(b => b.AddJob<NightlyTotalsJob>().AddRecurringJob<NightlyTotalsJob>("totals", "0 1 * * *"));

        Assert.Contains("Recurring job 'totals' sends 'NightlyTotals', which has no public parameterless constructor", message, StringComparison.Ordinal);
        Assert.Contains("AddRecurringJob<NightlyTotalsJob, TMessage>(\"totals\", \"0 1 * * *\", slot => new TMessage(...))", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_JobWithTwoMessages_FailsAskingWhichOne()
    {
        var message = Failure(b => b.AddJob<TwoMessagesJob>().AddRecurringJob<TwoMessagesJob>("audit", "0 1 * * *"));

        Assert.Contains("Recurring job 'audit' runs 'TwoMessagesJob', which implements IJob<Audit> and IJob<PurgeDeletedUsers>; say which message", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_JobWithoutIJob_Fails()
    {
        var message = Failure(b => b.AddRecurringJob<NoMessageJob>("nothing", "0 1 * * *"));

        Assert.Contains("Recurring job 'nothing' runs 'NoMessageJob', which implements no IJob<TMessage>.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownQueue_FailsSayingHowToAddIt()
    {
        var message = Failure(b => Purge(b, r: r => r.Queue = "maintenance"));

        Assert.Contains("Recurring job 'purge' uses queue 'maintenance', which is not configured. Add it with o.AddQueue(\"maintenance\", q => ...)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmptyQueue_Fails()
    {
        var message = Failure(b => Purge(b, r: r => r.Queue = ""));

        Assert.Contains("Recurring job 'purge' has an empty Queue;", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_RunAllWithoutCatchUpRuns_Fails(int max)
    {
        var message = Failure(b => Purge(b, r: r => { r.Misfire = MisfirePolicy.RunAll; r.MaxCatchUpRuns = max; }));

        Assert.Contains($"Recurring job 'purge' has Misfire = RunAll with MaxCatchUpRuns = {max}; it must be at least 1", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoCatchUpRunsWithRunOnce_Passes()
    {
        Valid(b => Purge(b, r: r => r.MaxCatchUpRuns = 0));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    public void Validate_ThresholdNotPositive_Fails(int seconds)
    {
        var threshold = TimeSpan.FromSeconds(seconds);

        var message = Failure(b => Purge(b, r: r => r.MisfireThreshold = threshold));

        Assert.Contains($"Recurring job 'purge' has MisfireThreshold = {threshold}; it must be positive (the default is 1 minute).", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UndefinedPolicies_Fail()
    {
        var message = Failure(b => Purge(b, r: r => { r.Misfire = (MisfirePolicy)7; r.Overlap = (OverlapPolicy)9; }));

        Assert.Contains("Recurring job 'purge' has Misfire = 7, which is not a MisfirePolicy value.", message, StringComparison.Ordinal);
        Assert.Contains("Recurring job 'purge' has Overlap = 9, which is not an OverlapPolicy value.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEveryOneInOneMessage()
    {
        var message = Failure(b => b
            .AddRecurringJob<PurgeDeletedUsersJob>("purge", "0 0 30 2 *", r => { r.TimeZone = "Mars/Olympus"; r.MisfireThreshold = TimeSpan.FromSeconds(-5); })
            .AddRecurringJob<PurgeDeletedUsersJob>("purge", "0 3 * * *"));

        Assert.Contains("TimeZone 'Mars/Olympus'", message, StringComparison.Ordinal);
        Assert.Contains("'PurgeDeletedUsersJob', which is not registered", message, StringComparison.Ordinal);
        Assert.Contains("MisfireThreshold = -00:00:05", message, StringComparison.Ordinal);
        Assert.Contains("is added twice", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_InvalidRecurringJob_FailsTheHost()
    {
        using var host = TestHost.Build(null, b => Purge(b, "0 0 30 2 *"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("which never fires", error.Message, StringComparison.Ordinal);
    }
}
