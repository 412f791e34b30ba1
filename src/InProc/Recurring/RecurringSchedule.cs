using System.Diagnostics.CodeAnalysis;
using Cronos;

namespace InProc.Recurring;

/// <summary>
/// A parsed cron expression in its time zone: the pure occurrence math of one recurring job. Every result is a
/// UTC instant. Occurrences follow Cronos' DST rules: a local time skipped by a spring-forward transition fires
/// once at the first valid instant after it; in a fall-back hour a fixed-time expression fires once (in the first
/// offset) and an interval expression (<c>*</c>, a range or a step in its second, minute or hour field) fires in
/// both offsets.
/// </summary>
/// <remarks>
/// Only forward search is used. Cronos' backward search (<c>GetPreviousOccurrence</c>) does not give the same
/// instants at a spring-forward transition (02:30 on the day Berlin skips 02:00-03:00 comes back as 01:59 +01:00,
/// not 03:00 +02:00), so a slot found backwards could be one the schedule never arms, and would run twice.
/// Forward search from any instant agrees with stepping slot to slot, so the planner may start it anywhere.
/// </remarks>
internal sealed class RecurringSchedule
{
    private readonly CronExpression _cron;

    private RecurringSchedule(string expression, CronExpression cron, TimeZoneInfo timeZone)
    {
        Expression = expression;
        _cron = cron;
        TimeZone = timeZone;
    }

    public string Expression { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>Whether the expression has a seconds field (6 fields).</summary>
    public bool IncludesSeconds { get; private init; }

    /// <summary>Parses a schedule that passed start-up validation.</summary>
    /// <exception cref="ArgumentException">The expression or the time zone is invalid (the message says why).</exception>
    public static RecurringSchedule Create(string name, string expression, string timeZoneId)
    {
        if (!TryParseExpression(name, expression, out var cron, out var format, out var error)
            || !TryFindTimeZone(name, timeZoneId, out var zone, out error))
        {
            throw new ArgumentException(error);
        }

        return new RecurringSchedule(expression, cron, zone) { IncludesSeconds = format == CronFormat.IncludeSeconds };
    }

    /// <summary>The first slot strictly after <paramref name="slot"/>, or null when the expression never fires again.</summary>
    /// <remarks>
    /// Give it the previous slot, never "now": a timer firing a millisecond early then still finds the slot it was
    /// armed for, and one firing late does not step over the next slot.
    /// </remarks>
    public DateTimeOffset? NextAfter(DateTimeOffset slot) => _cron.GetNextOccurrence(slot, TimeZone, inclusive: false)?.ToUniversalTime();

    /// <summary>Whether the expression fires at all (<c>0 0 30 2 *</c> does not). Cron has no year field, so a date pattern that matches once matches again.</summary>
    public bool EverFires() => NextAfter(DateTimeOffset.UnixEpoch) is not null;

    /// <summary>The slot as the schedule's zone sees it (the same instant, with the zone's offset): what a message factory gets.</summary>
    public DateTimeOffset ToLocal(DateTimeOffset slot) => TimeZoneInfo.ConvertTime(slot, TimeZone);

    /// <summary>
    /// Parses with Cronos: 6 fields means seconds first (<see cref="CronFormat.IncludeSeconds"/>), 5 fields or a
    /// macro the standard format. A seed from the name backs <c>H</c>, so every host and every restart picks the
    /// same minute; macros get no seed (with one, Cronos would move <c>@daily</c> off midnight).
    /// </summary>
    public static bool TryParseExpression(string name, string expression, [NotNullWhen(true)] out CronExpression? cron, out CronFormat format, [NotNullWhen(false)] out string? error)
    {
        cron = null;
        format = CronFormat.Standard;
        var trimmed = expression.Trim();
        var isMacro = trimmed.StartsWith('@');
        var fields = trimmed.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
        if (!isMacro && fields is not (5 or 6))
        {
            error = $"Recurring job '{name}' has the cron expression '{expression}' with {fields} fields; use 5 (minute hour day-of-month month day-of-week), 6 (second minute hour day-of-month month day-of-week) or a macro such as @daily.";
            return false;
        }

        format = fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        try
        {
            cron = isMacro ? CronExpression.Parse(trimmed, format) : CronExpression.Parse(trimmed, format, StableSeed(name));
            error = null;
            return true;
        }
        catch (CronFormatException e)
        {
            error = $"Recurring job '{name}' has an invalid cron expression '{expression}': {e.Message}";
            return false;
        }
    }

    /// <summary>Finds an IANA or a Windows zone id; <c>"UTC"</c> needs no time zone data on the machine.</summary>
    public static bool TryFindTimeZone(string name, string? timeZoneId, [NotNullWhen(true)] out TimeZoneInfo? zone, [NotNullWhen(false)] out string? error)
    {
        zone = null;
        const string Hint = "use an IANA id such as \"Europe/Berlin\", a Windows id such as \"W. Europe Standard Time\", or \"UTC\" (the default)";
        if (string.IsNullOrWhiteSpace(timeZoneId))
        {
            error = $"Recurring job '{name}' has an empty TimeZone; {Hint}.";
            return false;
        }

        if (string.Equals(timeZoneId, RecurringConstants.DefaultTimeZone, StringComparison.OrdinalIgnoreCase))
        {
            zone = TimeZoneInfo.Utc;
            error = null;
            return true;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
            error = null;
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            // IANA ids have no spaces; a Windows id is found off Windows by ICU's id mapping, absent in invariant mode.
            var windowsNote = timeZoneId.Contains(' ', StringComparison.Ordinal) ? " Off Windows, a Windows id needs ICU (it is not found with InvariantGlobalization)." : string.Empty;
            error = $"Recurring job '{name}' has TimeZone '{timeZoneId}', which is not a time zone on this machine; {Hint}.{windowsNote}";
        }
        catch (InvalidTimeZoneException e)
        {
            error = $"Recurring job '{name}' has TimeZone '{timeZoneId}', whose time zone data on this machine is invalid ({e.Message}); {Hint}.";
        }

        return false;
    }

    /// <summary>FNV-1a of the name: string.GetHashCode differs per process, and H must pick the same value on every host.</summary>
    internal static int StableSeed(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}
