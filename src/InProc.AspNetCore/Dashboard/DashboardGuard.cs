using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InProc.AspNetCore.Dashboard;

/// <summary>The checks every dashboard request passes before a page or an action runs.</summary>
internal static class DashboardGuard
{
    /// <summary>
    /// True when the endpoint carries authorization that the authorization middleware enforced (a policy, roles or an
    /// authenticated user) and nothing on it allows anonymous users.
    /// </summary>
    public static bool IsProtected(EndpointMetadataCollection metadata) =>
        (metadata.GetMetadata<IAuthorizeData>() is not null || metadata.GetMetadata<AuthorizationPolicy>() is not null)
        && metadata.GetMetadata<IAllowAnonymous>() is null;

    /// <summary>Whether this request may see the dashboard at all.</summary>
    public static bool IsOpen(HttpContext context, DashboardSettings settings) =>
        settings.AllowAnonymous || (context.GetEndpoint() is { } endpoint && IsProtected(endpoint.Metadata));

    /// <summary>Headers on every dashboard response, refusals included.</summary>
    public static void ApplySecurityHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = DashboardConstants.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        // The same values antiforgery sets on a page with a token, so it does not log that it overrode them.
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
    }

    /// <summary>
    /// A state-changing request must come from a page of this origin. Sec-Fetch-Site, which a page cannot forge, decides
    /// when the browser sends it (Chromium sends <c>Origin: null</c> under <c>Referrer-Policy: no-referrer</c>);
    /// otherwise the Origin must be this request's scheme and host. A request with neither header is refused (every
    /// current browser sends one of them with a POST). Behind a proxy, forward the original scheme and host
    /// (UseForwardedHeaders) so that they match.
    /// </summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return string.Equals(site, "same-origin", StringComparison.OrdinalIgnoreCase);
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && string.Equals(origin, request.Scheme + "://" + request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Runs the checks of a POST; on failure writes the refusal and returns false.</summary>
    public static async Task<bool> CheckActionAsync(HttpContext context, DashboardSettings settings)
    {
        string? reason = null;
        var status = StatusCodes.Status403Forbidden;
        if (settings.ReadOnly)
        {
            reason = "the dashboard is read-only";
        }
        else if (!IsSameOrigin(context.Request))
        {
            reason = "the request did not come from a page of this origin (Origin / Sec-Fetch-Site)";
        }
        else
        {
            try
            {
                await settings.Antiforgery.ValidateRequestAsync(context);
            }
            catch (AntiforgeryValidationException)
            {
                reason = "the antiforgery token is missing or invalid";
                status = StatusCodes.Status400BadRequest;
            }
        }

        if (reason is null)
        {
            return true;
        }

        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("InProc.AspNetCore.Dashboard");
        Log.ActionRefused(logger, context.Request.Method, context.Request.Path.Value ?? string.Empty, reason);
        await RefuseAsync(context, status, "Refused: " + reason + ".");
        return false;
    }

    public static Task RefuseAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
