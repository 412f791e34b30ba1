using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace InProc.AspNetCore.Dashboard.Pages;

/// <summary>A dead letter's message written as indented JSON, for a person to read.</summary>
internal static class MessageJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Display only: a trimmed app may show fewer properties, never wrong ones; a failure is shown as text.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Display only, as above.")]
    public static string Write(object message)
    {
        try
        {
            return JsonSerializer.Serialize(message, message.GetType(), Options);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException)
        {
            return $"(the message of type {message.GetType().FullName} could not be written as JSON: {e.Message})";
        }
    }
}
