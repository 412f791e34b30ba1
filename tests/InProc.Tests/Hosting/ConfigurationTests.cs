using System.Text;
using InProc.Tests.Recurring;
using InProc.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InProc.Tests.Hosting;

/// <summary><c>AddInProc(IConfiguration)</c>: what an <c>appsettings.json</c> section binds, and what it refuses.</summary>
public sealed class ConfigurationTests
{
    private const string Full = """
        {
          "InProc": {
            "ShutdownTimeout": "00:00:20",
            "ShutdownGracePeriod": "00:00:02",
            "DefaultTimeout": "00:05:00",
            "FinishedJobRetention": 500,
            "FinishedJobRetentionPeriod": "00:30:00",
            "DeadLetterCapacity": 50,
            "DefaultRetry": { "Kind": "Exponential", "MaxAttempts": 8, "BaseDelay": "00:00:01", "MaxDelay": "00:10:00", "Jitter": false },
            "Queues": {
              "default": { "Workers": 3 },
              "mail": { "Workers": 2, "Capacity": 10000, "FullMode": "Reject" }
            },
            "Jobs": {
              "PingJob": { "Queue": "mail", "Timeout": "00:00:30", "Retry": { "Kind": "Fixed", "MaxAttempts": 3, "BaseDelay": "00:00:05" } }
            },
            "RecurringJobs": {
              "purge": { "TimeZone": "Europe/Berlin", "Queue": "mail", "Misfire": "Skip", "MisfireThreshold": "00:02:00", "MaxCatchUpRuns": 3, "Overlap": "Allow", "Enabled": false }
            }
          }
        }
        """;

    [Fact]
    public void AddInProc_FullSection_BindsEveryOption()
    {
        var options = Bind(Full, b => b.AddJob<PingJob>().AddJob<PurgeDeletedUsersJob>().AddRecurringJob<PurgeDeletedUsersJob>("purge", "0 3 * * *"));

        Assert.Equal(TimeSpan.FromSeconds(20), options.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ShutdownGracePeriod);
        Assert.Equal(TimeSpan.FromMinutes(5), options.DefaultTimeout);
        Assert.Equal(500, options.FinishedJobRetention);
        Assert.Equal(TimeSpan.FromMinutes(30), options.FinishedJobRetentionPeriod);
        Assert.Equal(50, options.DeadLetterCapacity);
        AssertRetry(options.DefaultRetry, 8, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), exponential: true, jitter: false);

        Assert.Equal(["default", "mail"], options.Queues.Select(q => q.Name));
        Assert.Equal(3, options.Queues[0].Workers);
        Assert.Equal((2, 10_000, QueueFullMode.Reject), (options.Queues[1].Workers, options.Queues[1].Capacity, options.Queues[1].FullMode));

        var job = options.Jobs.Single(j => j.JobType == typeof(PingJob)).Options;
        Assert.Equal("mail", job.Queue);
        Assert.Equal(TimeSpan.FromSeconds(30), job.Timeout);
        AssertRetry(job.Retry!, 3, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), exponential: false, jitter: false);

        var purge = Assert.Single(options.RecurringJobs).Options;
        Assert.Equal(("Europe/Berlin", "mail", MisfirePolicy.Skip), (purge.TimeZone, purge.Queue, purge.Misfire));
        Assert.Equal((TimeSpan.FromMinutes(2), 3, OverlapPolicy.Allow, false), (purge.MisfireThreshold, purge.MaxCatchUpRuns, purge.Overlap, purge.Enabled));
    }

    [Fact]
    public void AddInProc_MissingSection_KeepsEveryDefault()
    {
        var options = Bind("""{ "Other": { "Workers": 1 } }""");
        var defaults = new InProcOptions();

        Assert.Equal(defaults.ShutdownTimeout, options.ShutdownTimeout);
        Assert.Equal(defaults.DefaultRetry.MaxAttempts, options.DefaultRetry.MaxAttempts);
        var queue = Assert.Single(options.Queues);
        Assert.Equal((defaults.Queues[0].Workers, defaults.Queues[0].Capacity), (queue.Workers, queue.Capacity));
    }

    [Fact]
    public void AddInProc_WithAction_TheActionRunsAfterBinding()
    {
        var services = new ServiceCollection();
        services.AddInProc(Section("""{ "InProc": { "DeadLetterCapacity": 50, "Queues": { "mail": { "Workers": 2, "Capacity": 10 } } } }"""), o =>
        {
            Assert.Equal(2, o.Queues[1].Workers); // already bound when the action runs
            o.AddQueue("mail", q => q.Workers = 6);
        });

        var options = Options(services);

        Assert.Equal((6, 10), (options.Queues[1].Workers, options.Queues[1].Capacity));
        Assert.Equal(50, options.DeadLetterCapacity);
    }

    [Fact]
    public void AddInProc_JobSection_OverridesTheAddJobLambdaAndKeepsItsDoNotRetryFilters()
    {
        var json = """{ "InProc": { "Queues": { "mail": {} }, "Jobs": { "PingJob": { "Retry": { "MaxAttempts": 9 } } } } }""";

        var options = Bind(json, b => b.AddJob<PingJob>(j =>
        {
            j.Queue = "default";
            j.Retry = RetryPolicy.Fixed(2, TimeSpan.FromSeconds(7)).DoNotRetry<ArgumentException>();
        }));

        var retry = options.Jobs[0].Options.Retry!;
        AssertRetry(retry, 9, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7), exponential: false, jitter: false);
        Assert.True(retry.IsNotRetried(new ArgumentNullException("x")));
        Assert.Equal("default", options.Jobs[0].Options.Queue);
    }

    [Fact]
    public void AddInProc_JobRetryWithoutPolicyOfItsOwn_IsLaidOverDefaultRetry()
    {
        var json = """{ "InProc": { "DefaultRetry": { "BaseDelay": "00:00:03" }, "Jobs": { "PingJob": { "Retry": { "MaxAttempts": 2 } } } } }""";

        var options = Bind(json, b => b.AddJob<PingJob>());

        AssertRetry(options.DefaultRetry, 5, TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(5), exponential: true, jitter: true);
        AssertRetry(options.Jobs[0].Options.Retry!, 2, TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(5), exponential: true, jitter: true);
    }

    [Theory]
    // Kind None: one attempt.
    [InlineData("""{ "Kind": "None" }""", 1, 0, 0, false, false)]
    // Fixed over the default: the default's other values stay (jitter included) unless given.
    [InlineData("""{ "Kind": "fixed", "BaseDelay": "00:01:00", "Jitter": false }""", 5, 60, 60, false, false)]
    // Keys ignore case, as all configuration keys do; a number may come as a string.
    [InlineData("""{ "maxattempts": "3" }""", 3, 2, 300, true, true)]
    public void AddInProc_RetryShapes_BuildThePolicy(string retry, int attempts, int baseSeconds, int maxSeconds, bool exponential, bool jitter)
    {
        var options = Bind($$"""{ "InProc": { "DefaultRetry": {{retry}} } }""");

        AssertRetry(options.DefaultRetry, attempts, TimeSpan.FromSeconds(baseSeconds), TimeSpan.FromSeconds(maxSeconds), exponential, jitter);
    }

    [Fact]
    public void AddInProc_EmptyTimeout_MeansNone()
    {
        var options = Bind("""{ "InProc": { "DefaultTimeout": null, "Jobs": { "PingJob": { "Timeout": "" } } } }""", b => b.AddJob<PingJob>(j => j.Timeout = TimeSpan.FromSeconds(1)));

        Assert.Null(options.DefaultTimeout);
        Assert.Null(options.Jobs[0].Options.Timeout);
    }

    [Fact]
    public async Task StartAsync_UnknownQueueKey_FailsAtStartNamingTheKeyPath()
    {
        using var host = new HostBuilder().ConfigureServices(s =>
            s.AddInProc(Section("""{ "InProc": { "Queues": { "mail": { "Wokers": 2 } } } }"""))).Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("InProc:Queues:mail:Wokers: unknown key. A queue takes Workers, Capacity, FullMode.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "Queues": { "mail": { "Workers": "two" } } }""", "InProc:Queues:mail:Workers: 'two' is not a whole number.")]
    [InlineData("""{ "Queues": { "mail": { "FullMode": "Sometimes" } } }""", "InProc:Queues:mail:FullMode: 'Sometimes' is not one of Wait, Reject, DropOldest, DropNewest.")]
    [InlineData("""{ "Queues": { "mail": { "FullMode": "1" } } }""", "InProc:Queues:mail:FullMode: '1' is not one of Wait")]
    [InlineData("""{ "Queues": { "mail": 3 } }""", "InProc:Queues:mail: expected the queue's section (Workers, Capacity, FullMode), found the value '3'.")]
    [InlineData("""{ "ShutdownTimeout": "30" }""", "InProc:ShutdownTimeout: '30' is not a time; write it as hh:mm:ss")]
    [InlineData("""{ "ShutdownTimeout": { "Seconds": 30 } }""", "InProc:ShutdownTimeout: expected a value, found a section.")]
    [InlineData("""{ "DeadLetterCapacity": 1.5 }""", "InProc:DeadLetterCapacity: '1.5' is not a whole number.")]
    [InlineData("""{ "OnJobFailed": "Sentry" }""", "InProc:OnJobFailed: unknown key. The InProc section takes ShutdownTimeout, ShutdownGracePeriod, DefaultRetry,")]
    [InlineData("""{ "DefaultRetry": { "Jitter": "yes" } }""", "InProc:DefaultRetry:Jitter: 'yes' is not true or false.")]
    [InlineData("""{ "DefaultRetry": { "Kind": "Linear" } }""", "InProc:DefaultRetry:Kind: 'Linear' is not one of Exponential, Fixed, None.")]
    [InlineData("""{ "DefaultRetry": { "Attempts": 3 } }""", "InProc:DefaultRetry:Attempts: unknown key. A retry section takes Kind, MaxAttempts, BaseDelay, MaxDelay, Jitter.")]
    [InlineData("""{ "DefaultRetry": { "Kind": "None", "MaxAttempts": 3 } }""", "InProc:DefaultRetry:MaxAttempts: Kind is None (one attempt, no delay), so MaxAttempts has no meaning")]
    [InlineData("""{ "DefaultRetry": { "Kind": "Fixed", "MaxDelay": "00:01:00" } }""", "InProc:DefaultRetry:MaxDelay: Kind is Fixed, which waits BaseDelay after every failure; MaxDelay is for Exponential.")]
    [InlineData("""{ "DefaultRetry": { "MaxAttempts": 0 } }""", "InProc:DefaultRetry: maxAttempts counts the first attempt too, so it must be at least 1")]
    [InlineData("""{ "DefaultRetry": { "BaseDelay": "00:10:00", "MaxDelay": "00:01:00" } }""", "InProc:DefaultRetry: maxDelay (00:01:00) must not be shorter than baseDelay (00:10:00).")]
    [InlineData("""{ "Jobs": { "PingJb": { "Queue": "mail" } } }""", "InProc:Jobs:PingJb: no job class named 'PingJb' is registered. Configuration sets the options of a job added with AddJob<PingJb>(); the registered jobs are PingJob, PurgeDeletedUsersJob.")]
    [InlineData("""{ "Jobs": { "PingJob": { "Queue": "default", "Timout": "00:00:01" } } }""", "InProc:Jobs:PingJob:Timout: unknown key. A job takes Queue, Timeout, Retry.")]
    [InlineData("""{ "Jobs": { "PingJob": { "Retry": { "BaseDelay": "soon" } } } }""", "InProc:Jobs:PingJob:Retry:BaseDelay: 'soon' is not a time")]
    [InlineData("""{ "RecurringJobs": { "purg": { "Enabled": false } } }""", "InProc:RecurringJobs:purg: no recurring job is named 'purg'.")]
    [InlineData("""{ "RecurringJobs": { "purge": { "Overlap": "Never" } } }""", "InProc:RecurringJobs:purge:Overlap: 'Never' is not one of")]
    public void AddInProc_BadKeyOrValue_FailsNamingTheKeyPath(string inproc, string expected)
    {
        var services = new ServiceCollection();
        services.AddInProc(Section($$"""{ "InProc": {{inproc}} }""")).AddJob<PingJob>().AddJob<PurgeDeletedUsersJob>().AddRecurringJob<PurgeDeletedUsersJob>("purge", "0 3 * * *");

        var error = Assert.Throws<OptionsValidationException>(() => Options(services));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddInProc_SeveralBadKeys_ReportsEveryOneAndStillValidatesTheRest()
    {
        var services = new ServiceCollection();
        services.AddInProc(Section("""{ "InProc": { "Queues": { "mail": { "Wokers": 2, "Capacity": "lots" } }, "DeadLetterCapacity": -1 } }"""));

        var error = Assert.Throws<OptionsValidationException>(() => Options(services));

        Assert.Equal(3, error.Failures.Count());
        Assert.Contains("InProc:Queues:mail:Wokers", error.Message, StringComparison.Ordinal);
        Assert.Contains("InProc:Queues:mail:Capacity: 'lots'", error.Message, StringComparison.Ordinal);
        Assert.Contains("InProcOptions.DeadLetterCapacity is -1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_BoundQueuesAndJobs_RunTheJobOnItsConfiguredQueue()
    {
        using var host = new HostBuilder().ConfigureServices(s =>
        {
            s.AddSingleton<TimeProvider>(new InProc.Testing.TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
            s.AddSingleton<Probe>();
            s.AddInProc(Section("""{ "InProc": { "Queues": { "mail": { "Workers": 1 } }, "Jobs": { "PingJob": { "Queue": "mail" } } } }""")).AddJob<PingJob>();
        }).Build();
        await host.StartAsync().WaitAsync(TestHost.Patience);

        var id = await host.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new Ping(1));
        var done = await TestHost.WaitForStateAsync(host.Services, id, JobState.Succeeded);

        Assert.Equal("mail", done.Queue);
        await host.StopAsync().WaitAsync(TestHost.Patience);
    }

    private static IConfiguration Section(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build().GetSection("InProc");

    private static InProcOptions Bind(string json, Action<InProcBuilder>? jobs = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddInProc(Section(json));
        jobs?.Invoke(builder);
        return Options(services);
    }

    private static InProcOptions Options(IServiceCollection services)
    {
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<InProcOptions>>().Value;
    }

    private static void AssertRetry(RetryPolicy retry, int attempts, TimeSpan baseDelay, TimeSpan maxDelay, bool exponential, bool jitter) =>
        Assert.Equal((attempts, baseDelay, maxDelay, exponential, jitter), (retry.MaxAttempts, retry.BaseDelay, retry.MaxDelay, retry.IsExponential, retry.Jitter));
}
