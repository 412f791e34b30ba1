namespace InProc.AspNetCore.Dashboard.Html;

/// <summary>Markup an <see cref="HtmlBuilder"/> produced: the only thing a page writes without encoding it.</summary>
internal readonly struct HtmlFragment
{
    internal HtmlFragment(string markup) => Markup = markup;

    public string Markup { get; }
}
