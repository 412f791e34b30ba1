using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace InProc.AspNetCore.Dashboard.Html;

/// <summary>Writes literals as markup and holes HTML-encoded, into an <see cref="HtmlBuilder"/>.</summary>
[InterpolatedStringHandler]
internal readonly ref struct HtmlInterpolatedStringHandler
{
    private readonly StringBuilder _markup;

    public HtmlInterpolatedStringHandler(int literalLength, int formattedCount, HtmlBuilder builder)
    {
        _ = literalLength;
        _ = formattedCount;
        _markup = builder.Markup;
    }

    public void AppendLiteral(string markup) => _markup.Append(markup);

    public void AppendFormatted(HtmlFragment fragment) => _markup.Append(fragment.Markup);

    public void AppendFormatted(string? text) => AppendText(text);

    public void AppendFormatted<T>(T value) => AppendFormatted(value, null);

    public void AppendFormatted<T>(T value, string? format) =>
        AppendText(value is IFormattable formattable ? formattable.ToString(format, CultureInfo.InvariantCulture) : value?.ToString());

    private void AppendText(string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            // HtmlEncoder encodes <, >, &, both quotes and non-ASCII: safe in text and in quoted attribute values.
            _markup.Append(HtmlEncoder.Default.Encode(text));
        }
    }
}
