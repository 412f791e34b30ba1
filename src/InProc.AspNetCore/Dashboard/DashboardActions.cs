using InProc.AspNetCore.Dashboard.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.AspNetCore.Dashboard;

/// <summary>The POST actions. Each runs only after <see cref="DashboardGuard.CheckActionAsync"/>, and answers 303 to a fixed page.</summary>
internal static class DashboardActions
{
    public static Task RequeueOneAsync(DashboardRequest request)
    {
        if (!TryRouteId(request, out var id))
        {
            return DashboardGuard.RefuseAsync(request.Http, StatusCodes.Status400BadRequest, "Not a job id.");
        }

        return WhileRunningAsync(request, () => request.Redirect(request.Monitor.RequeueDeadLetter(id) ? $"/jobs/{id}?notice=requeued" : "/dead?notice=missing"));
    }

    public static async Task RequeueMatchingAsync(DashboardRequest request)
    {
        var filter = DeadLetterFilter.From(await request.Http.Request.ReadFormAsync(request.Http.RequestAborted));
        await WhileRunningAsync(request, () =>
        {
            var count = request.Monitor.GetDeadLetters().Where(filter.Matches).ToList().Count(letter => request.Monitor.RequeueDeadLetter(letter.Id));
            request.Redirect($"/dead?notice=requeued&count={count}");
        });
    }

    public static Task PurgeAsync(DashboardRequest request)
    {
        var count = request.Monitor.PurgeDeadLetters();
        request.Redirect($"/dead?notice=purged&count={count}");
        return Task.CompletedTask;
    }

    public static Task CancelAsync(DashboardRequest request)
    {
        if (!TryRouteId(request, out var id))
        {
            return DashboardGuard.RefuseAsync(request.Http, StatusCodes.Status400BadRequest, "Not a job id.");
        }

        var cancelled = request.Http.RequestServices.GetRequiredService<IJobQueue>().Cancel(id);
        request.Redirect($"/jobs/{id}?notice={(cancelled ? "cancelled" : "notcancelled")}");
        return Task.CompletedTask;
    }

    public static Task RunNowAsync(DashboardRequest request)
    {
        if (!TryRouteId(request, out var id))
        {
            return DashboardGuard.RefuseAsync(request.Http, StatusCodes.Status400BadRequest, "Not a job id.");
        }

        return WhileRunningAsync(request, () =>
        {
            var ran = request.Monitor.RunNow(id);
            request.Redirect($"/jobs/{id}?notice={(ran ? "ranNow" : "notRanNow")}");
        });
    }

    private static bool TryRouteId(DashboardRequest request, out JobId id) => JobId.TryParse(request.Http.Request.RouteValues["id"] as string, out id);

    // RequeueDeadLetter throws while the application stops: say so instead of a 500.
    private static Task WhileRunningAsync(DashboardRequest request, Action action)
    {
        try
        {
            action();
            return Task.CompletedTask;
        }
        catch (InvalidOperationException)
        {
            return DashboardGuard.RefuseAsync(request.Http, StatusCodes.Status409Conflict, "The application is stopping: nothing can be re-run now.");
        }
    }
}
