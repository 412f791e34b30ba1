using InProc.Samples.Worker;

// A worker service: no web server. A timer enqueues a report job every few seconds (appsettings.json, "Reports"),
// InProc runs it on the "reports" queue, and Ctrl+C (or SIGTERM) drains the queue before the process exits.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddReports(builder.Configuration);

using var host = builder.Build();
await host.RunAsync();
