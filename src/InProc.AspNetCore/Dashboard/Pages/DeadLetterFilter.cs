using InProc.AspNetCore.Dashboard.Html;
using Microsoft.AspNetCore.Http;

namespace InProc.AspNetCore.Dashboard.Pages;

/// <summary>Which dead letters a page shows and a bulk re-run acts on: by queue, message type and text in the exception.</summary>
internal sealed record DeadLetterFilter(string? Queue, string? Type, string? Text)
{
    public bool IsEmpty => Queue is null && Type is null && Text is null;

    public static DeadLetterFilter From(IQueryCollection query) => new(Value(query["queue"]), Value(query["type"]), Value(query["q"]));

    public static DeadLetterFilter From(IFormCollection form) => new(Value(form["queue"]), Value(form["type"]), Value(form["q"]));

    public bool Matches(DeadLetter letter) =>
        (Queue is null || letter.Queue == Queue)
        && (Type is null || letter.Message.GetType().Name == Type)
        && (Text is null || letter.ExceptionMessage.Contains(Text, StringComparison.OrdinalIgnoreCase) || letter.ExceptionType.Contains(Text, StringComparison.OrdinalIgnoreCase));

    /// <summary>The filter as hidden inputs, so a bulk action acts on what the page shows.</summary>
    public HtmlFragment HiddenFields()
    {
        var html = new HtmlBuilder();
        html.Add($"<input type=\"hidden\" name=\"queue\" value=\"{Queue}\"><input type=\"hidden\" name=\"type\" value=\"{Type}\"><input type=\"hidden\" name=\"q\" value=\"{Text}\">");
        return html.ToFragment();
    }

    private static string? Value(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
