using System.Text.Json;
using InProc.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace InProc.AspNetCore.Tests.Dashboard;

public sealed class DashboardLimitsTests
{
    [Fact]
    public async Task JobsAndJobPageAndStatus_JobWaitingOnRateLimit_SayWhy()
    {
        await using var app = await TestApp.StartAsync(
            a =>
            {
                a.MapInProcDashboard(TestApp.Prefix).RequireAuthorization("ops");
                a.MapInProcJobStatus("/status/{id}");
            },
            jobs: b => b.AddJob<ThrottledJob, Throttled>(j => j.RateLimit(m => m.Partner, perSecond: 1)));
        var ran = await app.Jobs.EnqueueAsync(new Throttled("acme"));
        var waiting = await app.Jobs.EnqueueAsync(new Throttled("acme"));
        using var client = app.Client();

        var list = await client.GetStringAsync(TestApp.Prefix + "/jobs?state=Scheduled");
        var page = await client.GetStringAsync(TestApp.Prefix + "/jobs/" + waiting);
        var ranPage = await client.GetStringAsync(TestApp.Prefix + "/jobs/" + ran);
        using var status = JsonDocument.Parse(await client.GetStringAsync($"/status/{waiting}"));

        Assert.Contains("data-waiting-on=\"RateLimit\"", list, StringComparison.Ordinal);
        Assert.Contains("waiting on rate limit", page, StringComparison.Ordinal);
        Assert.DoesNotContain("waiting on", ranPage, StringComparison.Ordinal);
        Assert.Equal("RateLimit", status.RootElement.GetProperty("waitingOn").GetString());
    }
}
