using Microsoft.Extensions.DependencyInjection;

namespace InProc.PostgreSql.Host;

/// <summary>
/// What a host runs and enqueues, chosen by <c>--mode</c>. To add a mode: write an <see cref="IHostMode"/> (its jobs
/// registered in <see cref="IHostMode.Register"/>, its enqueues in <see cref="IHostMode.EnqueueAsync"/>, printing one
/// line per answer for the test to read), add it to <see cref="All"/>, and read any new setting with
/// <see cref="HostArgs.Int"/> / <see cref="HostArgs.Text"/>.
/// </summary>
public interface IHostMode
{
    void Register(InProcBuilder inproc, HostArgs args);

    Task EnqueueAsync(IServiceProvider services, HostArgs args, Output output);
}

public static class Modes
{
    public static IReadOnlyDictionary<string, IHostMode> All { get; } = new Dictionary<string, IHostMode>(StringComparer.Ordinal)
    {
        ["ledger"] = new LedgerMode(),
        ["unique"] = new UniqueMode(),
    };

    public static IHostMode Get(string name) => All.TryGetValue(name, out var mode)
        ? mode
        : throw new ArgumentException($"InProc.PostgreSql.Host has no mode '{name}'; the modes are: {string.Join(", ", All.Keys)}.");
}

/// <summary>
/// <see cref="LedgerJob"/>s: <c>--enqueue</c> of them from 8 callers, each working <c>--work-ms</c>, failing below
/// <c>--fail-until-attempt</c>, due in <c>--delay-ms</c>, each caller pausing <c>--pace-ms</c> between enqueues. Prints
/// <c>ack &lt;id&gt;</c> per acknowledged enqueue, <c>nack ...</c> per refused one (tried again until acknowledged).
/// </summary>
internal sealed class LedgerMode : IHostMode
{
    public void Register(InProcBuilder inproc, HostArgs args) =>
        inproc.AddJob<LedgerJob, LedgerWork>(j => j.Retry = RetryPolicy.Fixed(20, args.Retry));

    public async Task EnqueueAsync(IServiceProvider services, HostArgs args, Output output)
    {
        var queue = services.GetRequiredService<IJobQueue>();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= args.Enqueue)
            {
                var work = new LedgerWork(args.WorkMs, args.FailUntilAttempt);
                while (true)
                {
                    try
                    {
                        var id = args.DelayMs > 0
                            ? await queue.ScheduleAsync(work, TimeSpan.FromMilliseconds(args.DelayMs))
                            : await queue.EnqueueAsync(work);
                        output.Line("ack " + id);
                        break;
                    }
                    catch (Npgsql.NpgsqlException ex)
                    {
                        output.Line("nack " + ex.Message.ReplaceLineEndings(" ")); // not acknowledged (the server is away): try again
                    }

                    await Task.Delay(50);
                }

                await Task.Delay(args.PaceMs); // spreads the enqueues over a while (across a restart)
            }
        })));
    }
}
