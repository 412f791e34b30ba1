using Microsoft.Extensions.DependencyInjection;

namespace InProc.PostgreSql.Host;

[JobMessageName("host.unique")]
public sealed record UniqueWork(string Key);

/// <summary>Never runs in the race: its jobs are scheduled an hour ahead, so every key stays held (UntilFinished).</summary>
public sealed class UniqueJob : IJob<UniqueWork>
{
    public Task RunAsync(UniqueWork message, JobContext context) => Task.CompletedTask;
}

/// <summary>
/// The unique-key race: once <c>--go-file</c> exists (the test creates it when every host said "ready"), 4 callers each
/// enqueue the keys <c>k0</c> … <c>k{--enqueue - 1}</c> in order, as unique jobs due in an hour, and print
/// <c>uniq &lt;key&gt; &lt;id&gt; &lt;new|dup&gt;</c> per answer.
/// </summary>
internal sealed class UniqueMode : IHostMode
{
    public void Register(InProcBuilder inproc, HostArgs args) =>
        inproc.AddJob<UniqueJob, UniqueWork>(j => j.UniqueBy(m => m.Key));

    public async Task EnqueueAsync(IServiceProvider services, HostArgs args, Output output)
    {
        var go = args.Text("go-file", "");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(go))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the go file '{go}' did not appear within 60 s");
            }

            await Task.Delay(2); // the start signal of a race between processes, not a wait for time to pass
        }

        var queue = services.GetRequiredService<IJobQueue>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < args.Enqueue; i++)
            {
                var key = "k" + i;
                var result = await queue.EnqueueWithResultAsync(new UniqueWork(key), DateTimeOffset.UtcNow.AddHours(1));
                output.Line($"uniq {key} {result.Id} {(result.IsDuplicate ? "dup" : "new")}");
            }
        })));
    }
}
