using InProc;
using InProc.AspNetCore.Status;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

#pragma warning disable IDE0130 // Endpoint mapping extensions live in the namespace of app.MapGet, as the framework's do.
namespace Microsoft.AspNetCore.Builder;
#pragma warning restore IDE0130

/// <summary>Maps the job status endpoint of the <c>202 Accepted</c> pattern.</summary>
public static class InProcJobStatusEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET <paramref name="pattern"/></c>: the job's <see cref="JobSnapshot"/> as JSON (camelCase, enums as
    /// names), 404 for an unknown id and 400 for text that is not a job id, both as problem details. It carries the
    /// job's last error message: add <c>.RequireAuthorization()</c> if that must not reach every client.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="pattern">A route with an <c>{id}</c> parameter; the default is <c>/jobs/{id}</c>.</param>
    /// <returns>The endpoint, for further conventions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="pattern"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> has no <c>{id}</c> parameter.</exception>
    public static IEndpointConventionBuilder MapInProcJobStatus(this IEndpointRouteBuilder endpoints, string pattern = "/jobs/{id}")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        if (RoutePatternFactory.Parse(pattern).GetParameter("id") is null)
        {
            throw new ArgumentException($"The job status route needs an {{id}} parameter, for example \"/jobs/{{id}}\"; it was \"{pattern}\".", nameof(pattern));
        }

        return endpoints.MapGet(pattern, WriteStatusAsync);
    }

    private static async Task WriteStatusAsync(HttpContext context)
    {
        var text = context.Request.RouteValues["id"] as string;
        if (!JobId.TryParse(text, out var id))
        {
            await Results.Problem(
                title: "Not a job id",
                detail: "A job id is 28 hexadecimal characters, as JobId.ToString() writes them.",
                statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
            return;
        }

        if (context.RequestServices.GetRequiredService<IJobMonitor>().GetJob(id) is not { } job)
        {
            await Results.Problem(
                title: "Unknown job",
                detail: $"No job has the id {id}: it never existed here, or its finished record was forgotten.",
                statusCode: StatusCodes.Status404NotFound).ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.Body.WriteAsync(JobSnapshotJson.Write(job), context.RequestAborted);
    }
}
