using System.Net;
using InProc.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.AspNetCore.Tests;

/// <summary>The package README's quick start, line for line (the test's sign-in and jobs come from <see cref="TestApp"/>).</summary>
public sealed class ReadmeQuickStartTests
{
    [Fact]
    public async Task QuickStart_AsWritten_ServesDashboardStatusAndHealth()
    {
        await using var app = await TestApp.StartAsync(
            app =>
            {
                app.MapInProcDashboard("/inproc").RequireAuthorization("ops"); // without RequireAuthorization: 403 for everyone
                app.MapInProcJobStatus("/jobs/{id}");
                app.MapHealthChecks("/health/live", new() { Predicate = r => r.Tags.Contains("live") });
                app.MapHealthChecks("/health/ready", new() { Predicate = r => r.Tags.Contains("ready") });
            },
            configure: builder =>
            {
                builder.Services.AddInProcDashboard();                      // antiforgery for the dashboard's actions
                builder.Services.AddAuthorization(o => o.AddPolicy("ops", p => p.RequireRole("ops")));
                builder.Services.AddHealthChecks().AddInProc();
            });
        var id = await app.Jobs.ScheduleAsync(new Ping(1), TimeSpan.FromMinutes(1));
        using var ops = app.Client();
        using var anonymous = app.Client(user: null);

        Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync("/inproc")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/inproc")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/jobs/{id}")).StatusCode);
        Assert.Equal("Healthy", await anonymous.GetStringAsync("/health/live"));
        Assert.Equal("Healthy", await anonymous.GetStringAsync("/health/ready"));
    }
}
