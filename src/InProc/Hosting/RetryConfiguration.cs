using InProc.Retry;
using Microsoft.Extensions.Configuration;

namespace InProc.Hosting;

/// <summary>
/// Reads a <c>Retry</c> section: <c>Kind</c> (<c>Exponential</c>, <c>Fixed</c>, <c>None</c>), <c>MaxAttempts</c>,
/// <c>BaseDelay</c>, <c>MaxDelay</c> (Exponential only) and <c>Jitter</c>. It is laid over the policy already in
/// place: a key left out keeps that policy's value, and the <c>DoNotRetry</c> filters set in code are kept (they
/// name exception types, which configuration does not). Over <see cref="RetryPolicy.None"/>, left-out keys take
/// the defaults of <see cref="RetryPolicy.Exponential"/>.
/// </summary>
internal static class RetryConfiguration
{
    private static readonly string[] Keys = ["Kind", "MaxAttempts", "BaseDelay", "MaxDelay", "Jitter"];

    private enum RetryKind
    {
        Exponential,
        Fixed,
        None,
    }

    /// <summary>The policy <paramref name="section"/> describes over <paramref name="current"/>, or <paramref name="current"/> with the errors added.</summary>
    public static RetryPolicy Bind(IConfigurationSection section, RetryPolicy current, List<string> errors)
    {
        if (!ConfigurationValues.IsSection(section, "a retry section (Kind, MaxAttempts, BaseDelay, MaxDelay, Jitter)", errors))
        {
            return current;
        }

        var start = errors.Count;
        var basis = current.MaxAttempts == 1 && !current.IsExponential && current.BaseDelay == TimeSpan.Zero ? RetryPolicy.Exponential() : current;
        var kind = basis.IsExponential ? RetryKind.Exponential : RetryKind.Fixed;
        var maxAttempts = basis.MaxAttempts;
        var baseDelay = basis.BaseDelay;
        var maxDelay = basis.MaxDelay;
        var jitter = basis.Jitter;
        var given = new List<IConfigurationSection>();

        foreach (var child in section.GetChildren())
        {
            var index = Array.FindIndex(Keys, k => string.Equals(k, child.Key, StringComparison.OrdinalIgnoreCase));
            var read = index switch
            {
                0 => Read<RetryKind>(ConfigurationValues.TryEnum, child, errors, ref kind),
                1 => Read<int>(ConfigurationValues.TryInt, child, errors, ref maxAttempts),
                2 => Read<TimeSpan>(ConfigurationValues.TryTimeSpan, child, errors, ref baseDelay),
                3 => Read<TimeSpan>(ConfigurationValues.TryTimeSpan, child, errors, ref maxDelay),
                4 => Read<bool>(ConfigurationValues.TryBool, child, errors, ref jitter),
                _ => Unknown(child, errors),
            };
            if (read && index > 0)
            {
                given.Add(child);
            }
        }

        // Over a Fixed policy, which has no cap of its own, an Exponential one gets the default cap.
        if (kind == RetryKind.Exponential && !basis.IsExponential && !Given(given, "MaxDelay"))
        {
            maxDelay = RetryConstants.DefaultMaxDelay;
        }

        if (!Given(given, "MaxDelay") && maxDelay < baseDelay)
        {
            maxDelay = baseDelay;
        }

        foreach (var child in given)
        {
            if (kind == RetryKind.None)
            {
                errors.Add($"{child.Path}: Kind is None (one attempt, no delay), so {child.Key} has no meaning; remove it or choose Exponential or Fixed.");
            }
            else if (kind == RetryKind.Fixed && string.Equals(child.Key, "MaxDelay", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{child.Path}: Kind is Fixed, which waits BaseDelay after every failure; MaxDelay is for Exponential.");
            }
        }

        if (errors.Count > start)
        {
            return current;
        }

        try
        {
            var shaped = kind switch
            {
                RetryKind.None => RetryPolicy.None,
                RetryKind.Fixed => RetryPolicy.Fixed(maxAttempts, baseDelay, jitter),
                _ => RetryPolicy.Exponential(maxAttempts, baseDelay, maxDelay, jitter),
            };
            return kind == RetryKind.None ? shaped : shaped.WithFiltersOf(current);
        }
        catch (ArgumentOutOfRangeException e)
        {
            errors.Add($"{section.Path}: {FirstLine(e.Message).Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal)}");
            return current;
        }
    }

    private delegate bool TryRead<T>(IConfigurationSection section, List<string> errors, out T value);

    private static bool Read<T>(TryRead<T> parse, IConfigurationSection section, List<string> errors, ref T value)
    {
        if (!parse(section, errors, out var read))
        {
            return false;
        }

        value = read;
        return true;
    }

    private static bool Unknown(IConfigurationSection child, List<string> errors)
    {
        errors.Add($"{child.Path}: unknown key. A retry section takes {string.Join(", ", Keys)}.");
        return false;
    }

    private static bool Given(List<IConfigurationSection> given, string key) =>
        given.Exists(c => string.Equals(c.Key, key, StringComparison.OrdinalIgnoreCase));

    // ArgumentOutOfRangeException appends "(Parameter ...)" and "Actual value was ..." lines: the first says it all.
    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).TrimEnd('\r', ' ');
    }
}
