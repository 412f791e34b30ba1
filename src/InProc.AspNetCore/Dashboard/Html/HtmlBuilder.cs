using System.Runtime.CompilerServices;
using System.Text;

namespace InProc.AspNetCore.Dashboard.Html;

/// <summary>
/// Builds a page from interpolated strings: the literal parts are markup, every hole is HTML-encoded (unless it is an
/// <see cref="HtmlFragment"/> this builder made). So a value can only reach the page as text.
/// </summary>
internal sealed class HtmlBuilder
{
    internal StringBuilder Markup { get; } = new();

    public HtmlBuilder Add([InterpolatedStringHandlerArgument("")] ref HtmlInterpolatedStringHandler html)
    {
        _ = html; // the handler wrote into Markup as the string was interpolated
        return this;
    }

    public HtmlFragment ToFragment() => new(Markup.ToString());

    public override string ToString() => Markup.ToString();
}
