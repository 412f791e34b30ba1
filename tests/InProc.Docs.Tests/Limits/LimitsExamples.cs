using System.Threading.RateLimiting;
using InProc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MyApp.Limits;

public sealed record ChargeCard(int OrderId, decimal Amount);

public sealed class ChargeCardJob(Ledger ledger) : IJob<ChargeCard>
{
    public Task RunAsync(ChargeCard message, JobContext context)
    {
        ledger.Charges.Add(message.OrderId);
        return Task.CompletedTask;
    }
}

public sealed record BuildReport(int TenantId, DateOnly Day);

public sealed class BuildReportJob(Ledger ledger) : IJob<BuildReport>
{
    public Task RunAsync(BuildReport message, JobContext context)
    {
        ledger.Reports.Add(message.TenantId);
        return Task.CompletedTask;
    }
}

public sealed record CallPartnerApi(string PartnerId, int Item);

public sealed class CallPartnerApiJob(Ledger ledger) : IJob<CallPartnerApi>
{
    public Task RunAsync(CallPartnerApi message, JobContext context)
    {
        ledger.Calls.Add(message.Item);
        return Task.CompletedTask;
    }
}

public sealed record ReindexProduct(int ProductId);

public sealed class ReindexProductJob(Ledger ledger) : IJob<ReindexProduct>
{
    public Task RunAsync(ReindexProduct message, JobContext context)
    {
        ledger.Reindexed.Add(message.ProductId);
        return Task.CompletedTask;
    }
}

public sealed class Ledger
{
    public List<int> Charges { get; } = [];

    public List<int> Reports { get; } = [];

    public List<int> Calls { get; } = [];

    public List<int> Reindexed { get; } = [];
}

/// <summary>The README's "Unique jobs and limits" snippets, compiled and run in synchronous mode on a fake clock.</summary>
public sealed class LimitsExamples : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services;

    public LimitsExamples()
    {
        var builder = new { Services = new ServiceCollection() };
        builder.Services.AddSingleton<TimeProvider>(_clock).AddSingleton<Ledger>();

        builder.Services.AddInProc()
            // One charge per order while it is queued, running or retrying: a duplicate returns the existing job's id.
            .AddJob<ChargeCardJob, ChargeCard>(j => j.UniqueBy(m => m.OrderId))

            // One report per tenant at a time; the others wait without holding a worker.
            .AddJob<BuildReportJob, BuildReport>(j => j.ConcurrencyLimit(m => m.TenantId, 1))

            // At most 10 calls a second per partner, and at most 4 at once per partner.
            .AddJob<CallPartnerApiJob, CallPartnerApi>(j => j
                .RateLimit(m => m.PartnerId, perSecond: 10)
                .ConcurrencyLimit(m => m.PartnerId, 4))

            // Debounce: reindex a product 30 s after its last change, once.
            .AddJob<ReindexProductJob, ReindexProduct>(j => j.UniqueBy(m => m.ProductId, u =>
            {
                u.Scope = UniqueScope.UntilStarted;
                u.ReplaceScheduled = true;
            }))
            .UseSynchronousMode();
        _services = builder.Services.BuildServiceProvider();
    }

    private IJobQueue Jobs => _services.GetRequiredService<IJobQueue>();

    private Ledger Ledger => _services.GetRequiredService<Ledger>();

    [Fact]
    public async Task UniqueBy_DuplicateWhileHeld_ReturnsTheExistingJob()
    {
        var queue = Jobs;
        var order = new ChargeCard(OrderId: 42, Amount: 9.99m);
        var first = await queue.ScheduleAsync(order, TimeSpan.FromMinutes(1));

        // Ignoring the difference is correct: both calls name the one job that charges order 42.
        JobId id = await queue.EnqueueAsync(order);

        // When the caller wants to know:
        var result = await queue.EnqueueWithResultAsync(order);
        if (result.IsDuplicate)
        {
            // already charged, or about to be: result.Id is that job
        }

        Assert.Equal(first, id);
        Assert.Equal(new EnqueueResult(first, IsDuplicate: true), result);
    }

    [Fact]
    public async Task ReplaceScheduled_DuplicateWhileScheduled_RunsOnceAfterTheLastChange()
    {
        var queue = Jobs;
        await queue.ScheduleAsync(new ReindexProduct(7), TimeSpan.FromSeconds(30));
        _clock.Advance(TimeSpan.FromSeconds(20));
        await queue.ScheduleAsync(new ReindexProduct(7), TimeSpan.FromSeconds(30));
        _clock.Advance(TimeSpan.FromSeconds(20)); // 40 s: past the first time

        Assert.Empty(Ledger.Reindexed);
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal([7], Ledger.Reindexed);
    }

    [Fact]
    public async Task RateLimit_TenPerSecond_TheEleventhWaitsForItsPermit()
    {
        for (var item = 0; item < 11; item++)
        {
            await Jobs.EnqueueAsync(new CallPartnerApi("acme", item));
        }

        Assert.Equal(10, Ledger.Calls.Count);
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(11, Ledger.Calls.Count);
    }

    [Fact]
    public void RateLimit_OptionsObject_Compiles()
    {
        var services = new ServiceCollection();
        services.AddInProc()
            .AddJob<CallPartnerApiJob, CallPartnerApi>(j => j.RateLimit(key: null, new FixedWindowRateLimiterOptions
            {
                PermitLimit = 100,
                Window = TimeSpan.FromMinutes(1),
            }));

        Assert.NotEmpty(services);
    }

    public void Dispose() => _services.Dispose();
}
