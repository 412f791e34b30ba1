using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace InProc.Hosting;

/// <summary>
/// Reads configuration strictly: every key of a section must be known, every value must parse, and each problem is
/// one message that starts with the key's full path (<c>InProc:Queues:mail:Workers</c>). Configuration keys are
/// case-insensitive, as everywhere in Microsoft.Extensions.Configuration. Values are parsed with the invariant
/// culture, so <c>"1.5"</c> and <c>"00:00:30"</c> mean the same on every machine.
/// </summary>
internal static class ConfigurationValues
{
    /// <summary>Applies each child of <paramref name="section"/> with the handler its key names; an unknown key is an error listing the known ones.</summary>
    public static void Bind<T>(IConfiguration section, T target, IReadOnlyDictionary<string, Action<IConfigurationSection, T, List<string>>> keys, string what, List<string> errors)
    {
        foreach (var child in section.GetChildren())
        {
            if (keys.TryGetValue(child.Key, out var apply))
            {
                apply(child, target, errors);
            }
            else
            {
                errors.Add($"{child.Path}: unknown key. {what} takes {string.Join(", ", keys.Keys)}.");
            }
        }
    }

    /// <summary>Whether <paramref name="section"/> holds sub-keys; a plain value where a section belongs is an error.</summary>
    public static bool IsSection(IConfigurationSection section, string expected, List<string> errors)
    {
        if (!string.IsNullOrEmpty(section.Value))
        {
            errors.Add($"{section.Path}: expected {expected}, found the value '{section.Value}'.");
            return false;
        }

        return true;
    }

    public static bool TryString(IConfigurationSection section, List<string> errors, out string value)
    {
        value = section.Value ?? string.Empty;
        if (section.Value is null && section.GetChildren().Any())
        {
            errors.Add($"{section.Path}: expected a value, found a section.");
            return false;
        }

        return true;
    }

    public static bool TryInt(IConfigurationSection section, List<string> errors, out int value)
    {
        value = 0;
        if (!TryString(section, errors, out var text))
        {
            return false;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        errors.Add($"{section.Path}: '{text}' is not a whole number.");
        return false;
    }

    public static bool TryBool(IConfigurationSection section, List<string> errors, out bool value)
    {
        value = false;
        if (!TryString(section, errors, out var text))
        {
            return false;
        }

        if (bool.TryParse(text, out value))
        {
            return true;
        }

        errors.Add($"{section.Path}: '{text}' is not true or false.");
        return false;
    }

    /// <summary>
    /// A time as <c>[d.]hh:mm:ss[.fffffff]</c>. A bare number is refused although <see cref="TimeSpan.Parse(string)"/>
    /// reads <c>"30"</c> as 30 days: whoever writes <c>"Timeout": "30"</c> almost never means a month.
    /// </summary>
    public static bool TryTimeSpan(IConfigurationSection section, List<string> errors, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (!TryString(section, errors, out var text))
        {
            return false;
        }

        if (text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        errors.Add($"{section.Path}: '{text}' is not a time; write it as hh:mm:ss, such as \"00:00:30\" for 30 seconds or \"1.00:00:00\" for a day.");
        return false;
    }

    /// <summary>A time, or <see langword="null"/> for an empty value (JSON <c>null</c> or <c>""</c>).</summary>
    public static bool TryNullableTimeSpan(IConfigurationSection section, List<string> errors, out TimeSpan? value)
    {
        value = null;
        if (string.IsNullOrEmpty(section.Value) && !section.GetChildren().Any())
        {
            return true;
        }

        if (TryTimeSpan(section, errors, out var time))
        {
            value = time;
            return true;
        }

        return false;
    }

    /// <summary>An enum member by name, case-insensitive. Numbers are refused: <c>"2"</c> says nothing to the next reader.</summary>
    public static bool TryEnum<TEnum>(IConfigurationSection section, List<string> errors, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        if (!TryString(section, errors, out var text))
        {
            return false;
        }

        var isName = text.Length > 0 && !char.IsDigit(text[0]) && text[0] != '-' && text[0] != '+' && !text.Contains(',', StringComparison.Ordinal);
        if (isName && Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value))
        {
            return true;
        }

        errors.Add($"{section.Path}: '{text}' is not one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
        return false;
    }
}
