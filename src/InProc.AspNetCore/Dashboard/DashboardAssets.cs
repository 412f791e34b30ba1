using Microsoft.AspNetCore.Http;

namespace InProc.AspNetCore.Dashboard;

/// <summary>The stylesheet and the script, embedded in the assembly and served from it: no CDN, no files on disk.</summary>
internal static class DashboardAssets
{
    private static readonly Lazy<byte[]> Css = new(() => Read("InProc.AspNetCore.dashboard.css"));
    private static readonly Lazy<byte[]> Js = new(() => Read("InProc.AspNetCore.dashboard.js"));

    public static Task WriteCssAsync(DashboardRequest request) => WriteAsync(request.Http, "text/css; charset=utf-8", Css.Value);

    public static Task WriteJsAsync(DashboardRequest request) => WriteAsync(request.Http, "text/javascript; charset=utf-8", Js.Value);

    private static Task WriteAsync(HttpContext context, string contentType, byte[] content)
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = content.Length;
        return context.Response.Body.WriteAsync(content, context.RequestAborted).AsTask();
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from InProc.AspNetCore.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
