// The PostgreSQL process-failure tests' child: one InProc host on a shared schema, through the public API only.
//   dotnet InProc.PostgreSql.Host.dll --connection <cs> --schema <s> --name <host> [--mode ledger] [--workers 4]
//       [--lease-ms 2000] [--heartbeat-ms 500] [--poll-ms 200] [--clock-offset-s 0]
//       [--enqueue 0] [--pace-ms 0] [--work-ms 40] [--delay-ms 0] [--fail-until-attempt 0] [--retry-ms 100]
// Prints "ready" once started, "ack <id>" per acknowledged enqueue ("nack <error>" per refused one, tried again), "enqueued" after the last, "lost <id> <attempt>"
// per dropped result (event 401) and "log <event> ..." per warning; then runs until the test kills it (or closes stdin:
// a graceful stop, "stopped").
using InProc;
using InProc.PostgreSql.Host;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

var args1 = HostArgs.Parse(args);
var mode = Modes.Get(args1.Mode);
var output = new Output();
var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddProvider(new OutputLogger(output));
if (args1.ClockOffsetSeconds != 0)
{
    builder.Services.AddSingleton<TimeProvider>(new SkewedTime(TimeSpan.FromSeconds(args1.ClockOffsetSeconds)));
}

// Named after the host (pg_stat_activity.application_name): the test sees which host has a statement in flight.
var connection = new NpgsqlConnectionStringBuilder(args1.Connection) { ApplicationName = args1.Name }.ConnectionString;
using var ledgerSource = NpgsqlDataSource.Create(connection);
builder.Services.AddSingleton(new Ledger(ledgerSource, args1.Schema, args1.Name));
var inproc = builder.Services.AddInProc(o =>
{
    o.ShutdownTimeout = TimeSpan.FromSeconds(5);
    o.AddQueue("default", q => q.Workers = args1.Workers);
});
mode.Register(inproc, args1);
inproc.UsePostgreSql(connection, o =>
{
    o.Schema = args1.Schema;
    o.HostName = args1.Name;
    o.LeaseDuration = args1.Lease;
    o.HeartbeatInterval = args1.Heartbeat;
    o.PollInterval = args1.Poll;
});
using var host = builder.Build();
await host.StartAsync();
output.Line("ready");

if (args1.Enqueue > 0)
{
    await mode.EnqueueAsync(host.Services, args1, output);
    output.Line("enqueued");
}

// Until stdin closes (the test's graceful stop) or the test kills this process.
await Task.Run(() => Console.In.ReadToEnd());
await host.StopAsync();
output.Line("stopped");
