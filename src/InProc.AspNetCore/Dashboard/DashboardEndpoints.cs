using InProc.AspNetCore.Dashboard.Live;
using InProc.AspNetCore.Dashboard.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace InProc.AspNetCore.Dashboard;

/// <summary>Every URL of the dashboard, each behind <see cref="DashboardGuard"/>. GET only reads; POST only acts.</summary>
internal static class DashboardEndpoints
{
    public static void Map(RouteGroupBuilder group, DashboardSettings settings)
    {
        Get(group, "/", settings, OverviewPage.RenderAsync);
        Get(group, "/jobs", settings, JobsPage.RenderAsync);
        Get(group, "/jobs/{id}", settings, JobDetailPage.RenderAsync);
        Get(group, "/scheduled", settings, ScheduledPage.RenderAsync);
        Get(group, "/dead", settings, DeadLettersPage.RenderAsync);
        Get(group, "/recurring", settings, RecurringPage.RenderAsync);
        Get(group, "/assets/dashboard.css", settings, DashboardAssets.WriteCssAsync);
        Get(group, "/assets/dashboard.js", settings, DashboardAssets.WriteJsAsync);
        Get(group, "/api/summary", settings, WriteSummaryAsync);
        Get(group, "/api/events", settings, EventStream.WriteAsync);

        // Mapped even when read-only, so that a POST is refused with a clear 403 rather than a 405.
        Post(group, "/dead/{id}/requeue", settings, DashboardActions.RequeueOneAsync);
        Post(group, "/dead/requeue", settings, DashboardActions.RequeueMatchingAsync);
        Post(group, "/dead/purge", settings, DashboardActions.PurgeAsync);
        Post(group, "/jobs/{id}/cancel", settings, DashboardActions.CancelAsync);
        Post(group, "/jobs/{id}/run-now", settings, DashboardActions.RunNowAsync);
        Post(group, "/recurring/{name}/trigger", settings, RecurringActions.TriggerAsync);
        Post(group, "/recurring/{name}/pause", settings, RecurringActions.PauseAsync);
        Post(group, "/recurring/{name}/resume", settings, RecurringActions.ResumeAsync);
    }

    private static void Get(RouteGroupBuilder group, string pattern, DashboardSettings settings, Func<DashboardRequest, Task> handler) =>
        group.MapGet(pattern, Guarded(settings, handler, isAction: false));

    private static void Post(RouteGroupBuilder group, string pattern, DashboardSettings settings, Func<DashboardRequest, Task> handler) =>
        group.MapPost(pattern, Guarded(settings, handler, isAction: true));

    private static RequestDelegate Guarded(DashboardSettings settings, Func<DashboardRequest, Task> handler, bool isAction) => async context =>
    {
        DashboardGuard.ApplySecurityHeaders(context.Response);
        if (!DashboardGuard.IsOpen(context, settings))
        {
            await DashboardGuard.RefuseAsync(context, StatusCodes.Status403Forbidden, "The InProc dashboard is closed: no authorization is configured on it (see the application's start-up log).");
            return;
        }

        if (isAction && !await DashboardGuard.CheckActionAsync(context, settings))
        {
            return;
        }

        await handler(new DashboardRequest(context, settings));
    };

    private static Task WriteSummaryAsync(DashboardRequest request)
    {
        request.Http.Response.ContentType = "application/json; charset=utf-8";
        return request.Http.Response.WriteAsync(Summary.Take(request.Monitor).ToJson(), request.Http.RequestAborted);
    }
}
