using InProc;
using InProc.Samples.WebApp;
using Microsoft.Extensions.DependencyInjection.Extensions;

var builder = WebApplication.CreateBuilder(args);

// Problem-details bodies for every error response: validation failures, 404s, unhandled exceptions.
builder.Services.AddProblemDetails();

// InProc and the sample's services. TryAdd lets a test (WebApplicationFactory) swap the clock or the mailer.
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.TryAddSingleton<UserStore>();
builder.Services.TryAddSingleton<SentEmails>();
builder.Services.TryAddSingleton<IMailer, LoggingMailer>();

builder.Services.AddInProc(o => o.AddQueue("mail", q => q.Workers = 2))
    .AddJob<SendWelcomeEmailJob>(j => j.Queue = "mail");

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

// Save the user, enqueue the slow part, answer 202 at once with a link to the job's status.
app.MapPost("/signup", async (SignupRequest request, UserStore users, IJobQueue jobs, CancellationToken cancellationToken) =>
{
    var errors = request.Validate();
    if (errors.Count > 0)
    {
        return Results.ValidationProblem(errors);
    }

    var user = users.Add(request.Email!.Trim(), request.Name!.Trim());

    // Completes at once unless the "mail" queue is full; then it waits for space (QueueFullMode.Wait)
    // until the client gives up.
    var jobId = await jobs.EnqueueAsync(new SendWelcomeEmail(user.Id), cancellationToken);
    return Results.Accepted($"/jobs/{jobId}", new SignupAccepted(jobId));
});

// The status link: state, attempt and timestamps of one job.
app.MapGet("/jobs/{id}", (string id, IJobMonitor monitor) =>
    JobId.TryParse(id, out var jobId) && monitor.GetJob(jobId) is { } job
        ? Results.Ok(job)
        : Results.NotFound());

app.Run();

/// <summary>The app's entry point, public so that tests can start it with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
/// <remarks>ASP.NET Core 10 already makes it public (analyzer note ASP0027); the declaration keeps that explicit.</remarks>
public partial class Program;
