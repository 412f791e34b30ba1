using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace InProc.Limits;

/// <summary>
/// A key selector's value as the text stores compare and write: invariant culture, a tuple's elements each, joined by a
/// unit separator so that <c>("a,b", "c")</c> and <c>("a", "b,c")</c> stay different keys.
/// </summary>
internal static class KeyText
{
    private const char Separator = '\u001f';

    public static string Of(object value) => value switch
    {
        string text => text,
        ITuple tuple => OfTuple(tuple),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string OfTuple(ITuple tuple)
    {
        var text = new StringBuilder();
        for (var i = 0; i < tuple.Length; i++)
        {
            if (i > 0)
            {
                text.Append(Separator);
            }

            if (tuple[i] is { } item)
            {
                text.Append(Of(item));
            }
        }

        return text.ToString();
    }
}
