// The kill -9 tests' child: opens the journal, enqueues through the public API and records what was acknowledged.
//   dotnet InProc.Sqlite.KillHost.dll <dir> enqueue <seed> <count>   enqueue <count> jobs from 8 callers, then wait to be killed
//   dotnet InProc.Sqlite.KillHost.dll <dir> unique <seed> <count>    enqueue <count> unique jobs over 40 keys from 8 callers (many duplicates)
//   dotnet InProc.Sqlite.KillHost.dll <dir> drain                    run what the journal holds until nothing is left, then stop
// <dir>/acks: one id per line, written after EnqueueAsync returned (unique mode: "<key> <id> <dup|new>" per
// EnqueueWithResultAsync answer). <dir>/ledger: one id per line, written by the job on success.
using InProc;
using InProc.Sqlite.KillHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var dir = args[0];
var mode = args[1];
var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddProvider(new OpenedSignal());
builder.Services.AddSingleton(new Ledger(Path.Combine(dir, "ledger")));
builder.Services.AddInProc(o =>
    {
        o.ShutdownTimeout = TimeSpan.FromSeconds(5);
        o.DefaultRetry = RetryPolicy.Fixed(10, TimeSpan.FromMilliseconds(50));
        o.AddQueue("default", q => { q.Workers = 4; q.Capacity = 100_000; });
    })
    .AddJob<LedgerJob>()
    .AddJob<UniqueLedgerJob, UniqueEntry>(j => j.UniqueBy(m => m.Key))
    .UseSqliteJournal(Path.Combine(dir, "jobs.db"));
using var host = builder.Build();
await host.StartAsync(); // recovery runs here, before any worker
Console.WriteLine("ready");

if (mode == "drain")
{
    var monitor = host.Services.GetRequiredService<IJobMonitor>();
    while (monitor.GetJobs(new JobQuery { State = JobState.Enqueued, Take = 1 }).TotalCount
        + monitor.GetJobs(new JobQuery { State = JobState.Running, Take = 1 }).TotalCount
        + monitor.GetJobs(new JobQuery { State = JobState.Scheduled, Take = 1 }).TotalCount
        + monitor.GetJobs(new JobQuery { State = JobState.Retrying, Take = 1 }).TotalCount > 0)
    {
        await Task.Delay(20);
    }

    await host.StopAsync();
    Console.WriteLine("drained");
    return;
}

var seed = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var count = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
var queue = host.Services.GetRequiredService<IJobQueue>();
using var acks = new StreamWriter(new FileStream(Path.Combine(dir, "acks"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite));
var gate = new object();
var next = 0;
if (mode == "unique")
{
    await Task.WhenAll(Enumerable.Range(0, 8).Select(caller => Task.Run(async () =>
    {
        var random = new Random(seed * 31 + caller);
        while (Interlocked.Increment(ref next) <= count)
        {
            var key = "k" + random.Next(40).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var result = await queue.EnqueueWithResultAsync(new UniqueEntry(key, random.Next(20)));
            lock (gate)
            {
                acks.WriteLine($"{key} {result.Id} {(result.IsDuplicate ? "dup" : "new")}");
                acks.Flush();
            }
        }
    })));
    Console.WriteLine("enqueued");
    await Task.Delay(Timeout.Infinite);
}

await Task.WhenAll(Enumerable.Range(0, 8).Select(caller => Task.Run(async () =>
{
    var random = new Random(seed * 31 + caller);
    while (Interlocked.Increment(ref next) <= count)
    {
        var id = random.Next(4) == 0
            ? await queue.ScheduleAsync(new LedgerEntry(random.Next(20)), TimeSpan.FromMilliseconds(random.Next(200)))
            : await queue.EnqueueAsync(new LedgerEntry(random.Next(20)));
        lock (gate)
        {
            acks.WriteLine(id.ToString());
            acks.Flush(); // in the kernel's hands once written: a kill -9 does not lose it
        }
    }
})));
Console.WriteLine("enqueued");
await Task.Delay(Timeout.Infinite); // the test kills this process
