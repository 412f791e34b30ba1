using System.Text;
using System.Text.RegularExpressions;
using InProc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MyApp;
using MyApp.Tests;
using Xunit;

namespace InProc.Docs.Tests.Configuration;

/// <summary>The README's <c>appsettings.json</c> example, bound as shown onto the jobs of the README's examples.</summary>
public sealed partial class AppSettingsReadmeTests
{
    [Fact]
    public void AppSettingsExample_Binds_WithoutErrors()
    {
        using var services = Build();

        var options = services.GetRequiredService<IOptions<InProcOptions>>().Value;

        Assert.Equal(["default", "mail"], options.Queues.Select(q => q.Name));
        Assert.Equal((2, 10_000, QueueFullMode.Wait), (options.Queues[1].Workers, options.Queues[1].Capacity, options.Queues[1].FullMode));
        Assert.Equal(TimeSpan.FromMinutes(5), options.DefaultTimeout);
    }

    [Fact]
    public async Task AppSettingsExample_JobSection_SetsTheJobsQueueAndRetry()
    {
        using var services = Build();

        var id = await services.GetRequiredService<IJobQueue>().EnqueueAsync(new SendWelcomeEmail(42));

        var job = services.GetRequiredService<IJobMonitor>().GetJob(id)!;
        Assert.Equal(("mail", 3, JobState.Succeeded), (job.Queue, job.MaxAttempts, job.State));
    }

    private static ServiceProvider Build()
    {
        var json = AppSettingsBlock().Match(ReadmeText.Read()).Groups["json"].Value;
        Assert.False(string.IsNullOrEmpty(json), "README.md has no ```json block after \"### From `appsettings.json`\".");
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

        var services = new ServiceCollection().AddSingleton<IMailer, RecordingMailer>();
        services.AddInProc(configuration.GetSection("InProc"))
            .AddJob<SendWelcomeEmailJob>()
            .AddJob<SendReminderJob>()
            .UseSynchronousMode();
        return services.BuildServiceProvider();
    }

    [GeneratedRegex(@"### From `appsettings\.json`.*?```json\n(?<json>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex AppSettingsBlock();
}
