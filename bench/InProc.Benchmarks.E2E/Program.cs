using InProc;
using InProc.Benchmarks.E2E;

// The end-to-end app of bench/run-e2e.sh: the same ~200 ms of awaited work done inline in the request (/inline), or
// enqueued as an InProc job (/enqueue). /stats says how many jobs were enqueued and ran. Bind it to loopback only,
// e.g. --urls http://127.0.0.1:5090. Workers and Capacity can be set on the command line (--Workers 1000).
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var workers = builder.Configuration.GetValue("Workers", 1_000);
var capacity = builder.Configuration.GetValue("Capacity", 100_000);
var stats = E2EStats.Instance;
builder.Services.AddInProc(o =>
    {
        o.AddQueue("default", q =>
        {
            q.Workers = workers;
            q.Capacity = capacity;
        });
        o.OnJobFailed = _ => stats.Failed();
        o.OnAbandoned = _ => stats.Abandoned();
    })
    .AddJob<SimulatedWorkJob>();

var app = builder.Build();
var monitor = app.Services.GetRequiredService<IJobMonitor>();

app.MapGet("/inline", async (CancellationToken cancellationToken) =>
{
    await SimulatedWork.RunAsync(cancellationToken);
    return Results.Ok();
});

app.MapPost("/enqueue", async (IJobQueue jobs, CancellationToken cancellationToken) =>
{
    var id = await jobs.EnqueueAsync(new SimulatedWorkMessage(), cancellationToken);
    stats.Enqueued();
    return Results.Accepted(value: id.ToString());
});

// The reference: an endpoint that does nothing. An enqueueing endpoint should answer in about its time.
app.MapPost("/empty", () => Results.Accepted(value: "none"));

app.MapGet("/stats", () =>
{
    var queue = monitor.GetQueues().Single(q => q.Name == "default");
    return Results.Json(stats.Snapshot(queue.Waiting, queue.Running));
});

app.Run();
