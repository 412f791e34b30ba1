using InProc.Recurring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InProc.Tests.Recurring;

public sealed class InProcRecurringBuilderExtensionsTests
{
    private static RecurringJobRegistration Registered(Action<InProcBuilder> add)
    {
        var services = new ServiceCollection();
        add(services.AddInProc());
        using var provider = services.BuildServiceProvider();

        // Applies the configuration without the start-up validation, which RecurringJobsValidatorTests covers.
        var options = new InProcOptions();
        foreach (var configure in provider.GetServices<IConfigureOptions<InProcOptions>>())
        {
            configure.Configure(options);
        }

        return Assert.Single(options.RecurringJobs);
    }

    [Fact]
    public void AddRecurringJob_DesignExample_RecordsNameExpressionJobAndOptions()
    {
        var job = Registered(b => b
            .AddJob<PurgeDeletedUsersJob>()
            .AddRecurringJob<PurgeDeletedUsersJob>("purge", "0 3 * * *", r => r.TimeZone = "Europe/Berlin"));

        Assert.Equal("purge", job.Name);
        Assert.Equal("0 3 * * *", job.Expression);
        Assert.Equal(typeof(PurgeDeletedUsersJob), job.JobType);
        Assert.Equal(typeof(PurgeDeletedUsers), job.MessageType);
        Assert.Equal("Europe/Berlin", job.Options.TimeZone);
        Assert.Null(job.MessageProblem);
    }

    [Fact]
    public void AddRecurringJob_ParameterlessMessage_CreatesANewMessagePerRun()
    {
        var job = Registered(b => b.AddJob<PurgeDeletedUsersJob>().AddRecurringJob<PurgeDeletedUsersJob>("purge", "0 3 * * *"));

        var first = job.CreateMessage(DateTimeOffset.UnixEpoch);
        var second = job.CreateMessage(DateTimeOffset.UnixEpoch);

        Assert.IsType<PurgeDeletedUsers>(first);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void AddRecurringJob_Factory_GetsTheSlotInTheSchedulesZone()
    {
        var job = Registered(b => b
            .AddJob<NightlyTotalsJob>()
            .AddRecurringJob<NightlyTotalsJob, NightlyTotals>("totals", "30 0 * * *", slot => new NightlyTotals(slot.AddDays(-1)), r => r.TimeZone = "Europe/Berlin"));
        var schedule = RecurringSchedule.Create(job.Name, job.Expression, job.Options.TimeZone);

        // 00:30 Berlin on 1 May is 22:30 UTC on 30 April: the local date is what the night is named by.
        var slot = schedule.NextAfter(new DateTimeOffset(2026, 4, 30, 12, 0, 0, TimeSpan.Zero))!.Value;
        var message = Assert.IsType<NightlyTotals>(job.CreateMessage(schedule.ToLocal(slot)));

        Assert.Equal(typeof(NightlyTotals), job.MessageType);
        Assert.Equal(new DateTime(2026, 4, 30), message.Night.Date);
        Assert.Equal(new DateTimeOffset(2026, 4, 29, 22, 30, 0, TimeSpan.Zero), message.Night);
    }

    [Fact]
    public void CreateMessage_FactoryReturnsNull_ThrowsNamingTheJob()
    {
        var job = Registered(b => b.AddRecurringJob<NightlyTotalsJob, NightlyTotals>("totals", "0 1 * * *", _ => null!));

        var error = Assert.Throws<InvalidOperationException>(() => job.CreateMessage(DateTimeOffset.UnixEpoch));

        Assert.Contains("recurring job 'totals' returned null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateMessage_NoParameterlessConstructor_ThrowsTheStartUpProblem()
    {
        var job = Registered(b => b.AddRecurringJob<NightlyTotalsJob>("totals", "0 1 * * *"));

        var error = Assert.Throws<InvalidOperationException>(() => job.CreateMessage(DateTimeOffset.UnixEpoch));

        Assert.Null(job.MessageType);
        Assert.Equal(job.MessageProblem, error.Message);
    }

    [Fact]
    public void AddRecurringJob_Configure_AppliesEveryOption()
    {
        var job = Registered(b => b.AddRecurringJob<PurgeDeletedUsersJob>("purge", "0 3 * * *", r =>
        {
            r.Queue = "maintenance";
            r.Misfire = MisfirePolicy.RunAll;
            r.MisfireThreshold = TimeSpan.FromMinutes(5);
            r.MaxCatchUpRuns = 3;
            r.Overlap = OverlapPolicy.Queue;
            r.Enabled = false;
        }));

        Assert.Equal("maintenance", job.Options.Queue);
        Assert.Equal(MisfirePolicy.RunAll, job.Options.Misfire);
        Assert.Equal(TimeSpan.FromMinutes(5), job.Options.MisfireThreshold);
        Assert.Equal(3, job.Options.MaxCatchUpRuns);
        Assert.Equal(OverlapPolicy.Queue, job.Options.Overlap);
        Assert.False(job.Options.Enabled);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void AddRecurringJob_NoName_Throws(string? name)
    {
        var builder = new ServiceCollection().AddInProc();

        Assert.ThrowsAny<ArgumentException>(() => builder.AddRecurringJob<PurgeDeletedUsersJob>(name!, "0 3 * * *"));
        Assert.ThrowsAny<ArgumentException>(() => builder.AddRecurringJob<NightlyTotalsJob, NightlyTotals>(name!, "0 3 * * *", s => new NightlyTotals(s)));
    }

    [Fact]
    public void AddRecurringJob_NullExpressionOrFactory_Throws()
    {
        var builder = new ServiceCollection().AddInProc();

        Assert.Throws<ArgumentNullException>(() => builder.AddRecurringJob<PurgeDeletedUsersJob>("purge", null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddRecurringJob<NightlyTotalsJob, NightlyTotals>("totals", "0 3 * * *", null!));
    }
}
