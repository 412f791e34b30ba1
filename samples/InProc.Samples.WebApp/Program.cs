using System.Security.Claims;
using InProc;
using InProc.Samples.WebApp;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection.Extensions;

var builder = WebApplication.CreateBuilder(args);

// Problem-details bodies for every error response: validation failures, 404s, unhandled exceptions.
builder.Services.AddProblemDetails();

// InProc and the sample's services. TryAdd lets a test (WebApplicationFactory) swap the clock or the mailer.
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.TryAddSingleton<UserStore>();
builder.Services.TryAddSingleton<SentEmails>();
builder.Services.TryAddSingleton<IMailer, LoggingMailer>();

var inproc = builder.Services.AddInProc(o => o.AddQueue("mail", q => q.Workers = 2))
    .AddJob<SendWelcomeEmailJob, SendWelcomeEmail>(j =>
    {
        j.Queue = "mail";
        j.Retry = RetryPolicy.Exponential(maxAttempts: 3, baseDelay: TimeSpan.FromSeconds(2));

        // One welcome email per user while it is pending: a second enqueue for the same user returns the same job.
        j.UniqueBy(m => m.UserId);
    });

// Where the jobs are kept (appsettings.json, command-line arguments or environment variables):
// - nothing: in memory, this process only;
// - "Journal": "jobs.db" (--Journal=jobs.db): durable in a SQLite file (InProc.Sqlite): EnqueueAsync returns after the
//   commit, and a restart or crash runs what was left;
// - "InProc:Store": "PostgreSql" with "ConnectionStrings:InProc" (--InProc:Store=PostgreSql
//   --ConnectionStrings:InProc="Host=...;Database=...;Username=..."; environment: InProc__Store, ConnectionStrings__InProc):
//   in a PostgreSQL table shared by every copy of the app that uses the same database and schema ("InProc:Schema",
//   default "inproc"), so the app runs on many hosts and each job runs once, on one of them. The welcome email's unique
//   key holds across hosts: a second signup for the same user on another host returns the same job.
SampleStore.Use(inproc, builder.Configuration);

// The dashboard (InProc.AspNetCore) is denied unless authorized: here, to users in the "ops" role. The sample signs
// a developer in at /dev/login, in Development only; a real app uses its own authentication.
builder.Services.AddInProcDashboard();
builder.Services.AddHealthChecks().AddInProc();
builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o => o.LoginPath = "/dev/login");
builder.Services.AddAuthorization(o => o.AddPolicy("ops", p => p.RequireRole("ops")));

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

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

// The status link: state, attempt and timestamps of one job (404 unknown, 400 malformed id).
app.MapInProcJobStatus("/jobs/{id}");

// Queues, jobs, dead letters (re-run with one click), live; and health for the platform's probes.
app.MapInProcDashboard("/inproc").RequireAuthorization("ops");
app.MapHealthChecks("/health/live", new() { Predicate = r => r.Tags.Contains("live") });
app.MapHealthChecks("/health/ready", new() { Predicate = r => r.Tags.Contains("ready") });

if (app.Environment.IsDevelopment())
{
    // Development only: sign in as an operator, then go to the dashboard.
    app.MapGet("/dev/login", async (HttpContext http) =>
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "developer"), new Claim(ClaimTypes.Role, "ops")], CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.Redirect("/inproc");
    });
}

app.Run();

/// <summary>The app's entry point, public so that tests can start it with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
/// <remarks>ASP.NET Core 10 already makes it public (analyzer note ASP0027); the declaration keeps that explicit.</remarks>
public partial class Program;
