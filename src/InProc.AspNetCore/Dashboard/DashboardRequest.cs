using InProc.AspNetCore.Dashboard.Html;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace InProc.AspNetCore.Dashboard;

/// <summary>One request to a dashboard page or action, with what every handler needs.</summary>
internal sealed class DashboardRequest
{
    private HtmlFragment? _antiforgeryField;

    public DashboardRequest(HttpContext http, DashboardSettings settings)
    {
        Http = http;
        Settings = settings;
        Monitor = http.RequestServices.GetRequiredService<IJobMonitor>();
        Base = http.Request.PathBase.Value + settings.Prefix;
    }

    public HttpContext Http { get; }

    public DashboardSettings Settings { get; }

    public IJobMonitor Monitor { get; }

    /// <summary>The dashboard's URL path without a trailing slash, path base included.</summary>
    public string Base { get; }

    public DateTimeOffset Now => Settings.Time.GetUtcNow();

    public bool CanAct => !Settings.ReadOnly;

    public string? Query(string name) => Http.Request.Query[name].ToString() is { Length: > 0 } value ? value : null;

    /// <summary>The hidden antiforgery input every action form carries; stores the cookie on first use.</summary>
    public HtmlFragment AntiforgeryField()
    {
        if (_antiforgeryField is { } field)
        {
            return field;
        }

        var tokens = Settings.Antiforgery.GetAndStoreTokens(Http);
        var html = new HtmlBuilder().Add($"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{tokens.RequestToken}\">");
        _antiforgeryField = html.ToFragment();
        return _antiforgeryField.Value;
    }

    /// <summary>A form with one button that POSTs to <paramref name="action"/>; nothing when the dashboard is read-only.</summary>
    public HtmlFragment ActionForm(string action, string label, string? confirm = null, HtmlFragment? fields = null)
    {
        var html = new HtmlBuilder();
        if (!CanAct)
        {
            return html.ToFragment();
        }

        html.Add($"<form method=\"post\" class=\"action\" action=\"{Base}{action}\"");
        if (confirm is not null)
        {
            html.Add($" data-confirm=\"{confirm}\"");
        }

        html.Add($">{AntiforgeryField()}{fields ?? default}<button type=\"submit\">{label}</button></form>");
        return html.ToFragment();
    }

    public Task WriteHtmlAsync(string markup, int status = StatusCodes.Status200OK)
    {
        Http.Response.StatusCode = status;
        Http.Response.ContentType = "text/html; charset=utf-8";
        return Http.Response.WriteAsync(markup, Http.RequestAborted);
    }

    public void Redirect(string pathAndQuery)
    {
        Http.Response.StatusCode = StatusCodes.Status303SeeOther;
        Http.Response.Headers.Location = Base + pathAndQuery;
    }
}
