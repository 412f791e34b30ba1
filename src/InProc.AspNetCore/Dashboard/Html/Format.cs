using System.Globalization;

namespace InProc.AspNetCore.Dashboard.Html;

/// <summary>How the dashboard writes values as text (encoding is the builder's job).</summary>
internal static class Format
{
    public const string None = "—";

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : None;

    public static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    public static string Truncate(string? text, int length) =>
        text is null ? string.Empty : text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "…");

    /// <summary>A query string value for a link (the builder then HTML-encodes the whole URL).</summary>
    public static string Query(string? value) => Uri.EscapeDataString(value ?? string.Empty);
}
