using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InProc.AspNetCore.Dashboard.Live;

/// <summary>
/// Server-sent events: the summary now, then again whenever it changes. Each stream closes after
/// <see cref="DashboardConstants.LiveLifetime"/>; the browser's EventSource reconnects on its own.
/// </summary>
internal static class EventStream
{
    public static async Task WriteAsync(DashboardRequest request)
    {
        var response = request.Http.Response;
        var time = request.Settings.Time;
        // Ends when the browser goes away or the app starts to stop: an open stream must not hold up a graceful shutdown.
        var stopping = request.Http.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(request.Http.RequestAborted, stopping);
        var aborted = linked.Token;
        response.ContentType = "text/event-stream";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx would hold events back otherwise
        await response.WriteAsync("retry: 2000\n\n", aborted);

        var started = time.GetTimestamp();
        var lastWrite = started;
        string? last = null;
        try
        {
            while (time.GetElapsedTime(started) < DashboardConstants.LiveLifetime)
            {
                var json = Summary.Take(request.Monitor).ToJson();
                if (json != last)
                {
                    await response.WriteAsync("data: " + json + "\n\n", aborted);
                    last = json;
                    lastWrite = time.GetTimestamp();
                }
                else if (time.GetElapsedTime(lastWrite) >= DashboardConstants.LiveKeepAlive)
                {
                    await response.WriteAsync(": keep-alive\n\n", aborted);
                    lastWrite = time.GetTimestamp();
                }

                await response.Body.FlushAsync(aborted);
                await Task.Delay(DashboardConstants.LiveInterval, time, aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The browser went away or the app is stopping: nothing to finish.
        }
    }
}
