using System.Globalization;

namespace InProc.AspNetCore.Dashboard.Html;

/// <summary>How the dashboard writes values as text (encoding is the builder's job).</summary>
internal static class Format
{
    public const string None = "—";

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : None;

    /// <summary>The badge of a job waiting on a limit (empty when it is not): why a runnable job has not started.</summary>
    public static HtmlFragment Waiting(JobWaitReason? reason) => reason switch
    {
        JobWaitReason.ConcurrencyLimit => new HtmlFragment(" <span class=\"waiting\" data-waiting-on=\"ConcurrencyLimit\" title=\"Its key has as many jobs running as its concurrency limit allows; it runs when one ends, without holding a worker meanwhile.\">waiting on concurrency limit</span>"),
        JobWaitReason.RateLimit => new HtmlFragment(" <span class=\"waiting\" data-waiting-on=\"RateLimit\" title=\"Its rate limiter had no permit; it runs at the next attempt time.\">waiting on rate limit</span>"),
        _ => new HtmlFragment(string.Empty),
    };

    public static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    public static string Truncate(string? text, int length) =>
        text is null ? string.Empty : text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "…");

    /// <summary>A query string value for a link (the builder then HTML-encodes the whole URL).</summary>
    public static string Query(string? value) => Uri.EscapeDataString(value ?? string.Empty);
}
