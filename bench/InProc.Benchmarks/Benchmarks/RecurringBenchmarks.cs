using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using InProc.Benchmarks.Infrastructure;
using InProc.Benchmarks.Peers;
using InProc.Recurring;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace InProc.Benchmarks.Benchmarks;

/// <summary>
/// Scenario 8 — recurring jobs: what 10,000 cron schedules cost to register and start (per schedule), and what one
/// next-occurrence computation costs, against Quartz.NET's cron triggers in the same run.
/// </summary>
/// <remarks>
/// <para>
/// Registration builds a whole InProc runtime in synchronous mode (no workers) with 10,000 <c>AddRecurringJob</c>
/// calls: options, start-up validation (Cronos parses each expression twice: check and build), and the runner arming
/// every schedule on one timer. Quartz schedules 10,000 jobs, each with a cron trigger, in a scheduler in standby
/// (RAMJobStore). Both run on a fake clock that never fires. Bytes retained per schedule, and the number of timers,
/// are printed by the global setup (BenchmarkDotNet's allocation column counts bytes allocated, not kept).
/// </para>
/// <para>
/// Next occurrence walks 10,000 consecutive slots (each from the previous one, as the runner does) with
/// <see cref="RecurringSchedule.NextAfter"/> (Cronos) and Quartz's <see cref="CronExpression.GetNextValidTimeAfter"/>:
/// a daily expression in Europe/Berlin and a five-minute one in UTC.
/// </para>
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(BatchConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RecurringBenchmarks
{
    public const int Schedules = 10_000;
    public const int Walk = 10_000;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private readonly RecurringSchedule _inProcDaily = RecurringSchedule.Create("daily", "0 3 * * *", "Europe/Berlin");
    private readonly RecurringSchedule _inProcFiveMinutes = RecurringSchedule.Create("five", "*/5 * * * *", "UTC");
    private readonly CronExpression _quartzDaily = new("0 0 3 * * ?", Berlin);
    private readonly CronExpression _quartzFiveMinutes = new("0 0/5 * * * ?", TimeZoneInfo.Utc);
    private ServiceProvider? _inProc;
    private QuartzPeer? _quartz;

    [GlobalSetup(Targets = [nameof(InProc_Register10000), nameof(Quartz_Register10000)])]
    public void PrintRetained()
    {
        var (inProcBytes, timers) = RetainedByInProc();
        var quartzBytes = RetainedByQuartz();
        Console.WriteLine($"// Retained per schedule: InProc {inProcBytes:N0} B ({timers} timer(s) created for {Schedules:N0} schedules), Quartz {quartzBytes:N0} B (job + cron trigger)");
    }

    [IterationCleanup(Target = nameof(InProc_Register10000))]
    public void DisposeInProc() => _inProc?.Dispose();

    [IterationSetup(Target = nameof(Quartz_Register10000))]
    public void NewQuartz() => _quartz = QuartzPeer.StartAsync(workers: 1, start: false).GetAwaiter().GetResult();

    [IterationCleanup(Target = nameof(Quartz_Register10000))]
    public void DisposeQuartz() => _quartz!.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = Schedules)]
    [BenchmarkCategory("register")]
    public IJobMonitor InProc_Register10000()
    {
        _inProc = BuildInProc(new ManualTimeProvider(Start), Schedules);
        return _inProc.GetRequiredService<IJobMonitor>(); // builds the runtime: validation, parsing, arming
    }

    [Benchmark(OperationsPerInvoke = Schedules)]
    [BenchmarkCategory("register")]
    public async Task Quartz_Register10000() => await ScheduleQuartzAsync(_quartz!.Scheduler, Schedules);

    [Benchmark(Baseline = true, OperationsPerInvoke = Walk)]
    [BenchmarkCategory("next-daily-berlin")]
    public DateTimeOffset InProc_NextAfter_DailyBerlin() => WalkInProc(_inProcDaily);

    [Benchmark(OperationsPerInvoke = Walk)]
    [BenchmarkCategory("next-daily-berlin")]
    public DateTimeOffset Quartz_GetNextValidTimeAfter_DailyBerlin() => WalkQuartz(_quartzDaily);

    [Benchmark(Baseline = true, OperationsPerInvoke = Walk)]
    [BenchmarkCategory("next-5min-utc")]
    public DateTimeOffset InProc_NextAfter_FiveMinutesUtc() => WalkInProc(_inProcFiveMinutes);

    [Benchmark(OperationsPerInvoke = Walk)]
    [BenchmarkCategory("next-5min-utc")]
    public DateTimeOffset Quartz_GetNextValidTimeAfter_FiveMinutesUtc() => WalkQuartz(_quartzFiveMinutes);

    private static DateTimeOffset WalkInProc(RecurringSchedule schedule)
    {
        var slot = Start;
        for (var i = 0; i < Walk; i++)
        {
            slot = schedule.NextAfter(slot)!.Value;
        }

        return slot;
    }

    private static DateTimeOffset WalkQuartz(CronExpression expression)
    {
        var slot = Start;
        for (var i = 0; i < Walk; i++)
        {
            slot = expression.GetNextValidTimeAfter(slot)!.Value;
        }

        return slot;
    }

    private static ServiceProvider BuildInProc(TimeProvider clock, int schedules)
    {
        var services = new ServiceCollection().AddSingleton(clock);
        var builder = services.AddInProc().AddJob<NoopJob>().UseSynchronousMode();
        for (var i = 0; i < schedules; i++)
        {
            builder.AddRecurringJob<NoopJob, NoopMessage>($"job-{i}", $"{i % 60} {i / 60 % 24} * * *", _ => NoopMessage.Instance);
        }

        return services.BuildServiceProvider();
    }

    private static async Task ScheduleQuartzAsync(IScheduler scheduler, int schedules)
    {
        for (var i = 0; i < schedules; i++)
        {
            var job = JobBuilder.Create<QuartzNoopJob>().WithIdentity($"job-{i}").Build();
            var trigger = TriggerBuilder.Create().WithIdentity($"trigger-{i}").WithCronSchedule($"0 {i % 60} {i / 60 % 24} * * ?").Build();
            await scheduler.ScheduleJob(job, trigger);
        }
    }

    /// <summary>Bytes kept per schedule: a runtime with 10,000 schedules minus one with none, both alive and started.</summary>
    private static (long BytesPerSchedule, int Timers) RetainedByInProc()
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        using var empty = BuildInProc(new ManualTimeProvider(Start), 0);
        empty.GetRequiredService<IJobMonitor>();
        var withNone = GC.GetTotalMemory(forceFullCollection: true) - before;

        var clock = new CountingClock(new ManualTimeProvider(Start));
        before = GC.GetTotalMemory(forceFullCollection: true);
        using var full = BuildInProc(clock, Schedules);
        full.GetRequiredService<IJobMonitor>();
        var withAll = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(empty);
        return ((withAll - withNone) / Schedules, clock.TimersCreated - 1); // minus the delayed-job scheduler's own timer
    }

    private static long RetainedByQuartz()
    {
        var peer = QuartzPeer.StartAsync(workers: 1, start: false).GetAwaiter().GetResult();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        ScheduleQuartzAsync(peer.Scheduler, Schedules).GetAwaiter().GetResult();
        var retained = (GC.GetTotalMemory(forceFullCollection: true) - before) / Schedules;
        peer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return retained;
    }

    /// <summary>The fake clock, counting the timers InProc creates on it.</summary>
    private sealed class CountingClock(ManualTimeProvider inner) : TimeProvider
    {
        public int TimersCreated { get; private set; }

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            TimersCreated++;
            return inner.CreateTimer(callback, state, dueTime, period);
        }
    }
}
