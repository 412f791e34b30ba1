using Microsoft.Extensions.Options;

namespace InProc.Samples.Worker;

/// <summary>
/// Enqueues a <see cref="WriteReport"/> job on every tick of a <see cref="PeriodicTimer"/> driven by the injected
/// <see cref="TimeProvider"/>. Registered after InProc, so the host stops it first: no job is enqueued while InProc drains.
/// </summary>
/// <param name="jobs">InProc's queue.</param>
/// <param name="time">The clock the timer runs on.</param>
/// <param name="options">The interval.</param>
/// <param name="logger">Where each enqueue is logged.</param>
public sealed class ReportTicker(IJobQueue jobs, TimeProvider time, IOptions<ReportsOptions> options, ILogger<ReportTicker> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        var number = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                number++;
                var id = await jobs.EnqueueAsync(new WriteReport(number, time.GetUtcNow()), stoppingToken);
                Log.ReportEnqueued(logger, number, id);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Ctrl+C: stop ticking; InProc drains what is queued.
        }
    }
}
