using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace InProc;

/// <summary>
/// Identifies one job. Unique across restarts of the application and ordered by creation: it is a
/// millisecond Unix timestamp followed by a sequence number that starts at a random value in each process.
/// </summary>
/// <remarks>
/// <see cref="ToString()"/> gives 28 lower-case hexadecimal characters (12 for the timestamp, 16 for the
/// sequence), so the text sorts the same way as the value; <see cref="Parse(string)"/> reads it back.
/// Serialized to JSON as that string.
/// </remarks>
[JsonConverter(typeof(JobIdJsonConverter))]
public readonly struct JobId : IEquatable<JobId>, IComparable<JobId>
{
    private const int TimestampDigits = 12;
    private const int SequenceDigits = 16;
    private const int Length = TimestampDigits + SequenceDigits;

    private readonly long _timestamp;
    private readonly long _sequence;

    internal JobId(long unixMilliseconds, long sequence)
    {
        _timestamp = unixMilliseconds;
        _sequence = sequence;
    }

    /// <summary>The per-process sequence number: consecutive for consecutive jobs (the active index's slot).</summary>
    internal long Sequence => _sequence;

    /// <summary>Gets the time the job was created, to the millisecond.</summary>
    /// <value>The creation time in UTC.</value>
    public DateTimeOffset CreatedAt => DateTimeOffset.FromUnixTimeMilliseconds(_timestamp);

    /// <summary>Gets a value indicating whether this is the default (empty) id, which no job has.</summary>
    /// <value><see langword="true"/> for <c>default(JobId)</c>.</value>
    public bool IsEmpty => _timestamp == 0 && _sequence == 0;

    /// <summary>Compares two ids for equality.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when both name the same job.</returns>
    public static bool operator ==(JobId left, JobId right) => left.Equals(right);

    /// <summary>Compares two ids for inequality.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when they name different jobs.</returns>
    public static bool operator !=(JobId left, JobId right) => !left.Equals(right);

    /// <summary>Orders ids by creation.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> was created first.</returns>
    public static bool operator <(JobId left, JobId right) => left.CompareTo(right) < 0;

    /// <summary>Orders ids by creation.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> was created last.</returns>
    public static bool operator >(JobId left, JobId right) => left.CompareTo(right) > 0;

    /// <summary>Orders ids by creation.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> was not created after <paramref name="right"/>.</returns>
    public static bool operator <=(JobId left, JobId right) => left.CompareTo(right) <= 0;

    /// <summary>Orders ids by creation.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> was not created before <paramref name="right"/>.</returns>
    public static bool operator >=(JobId left, JobId right) => left.CompareTo(right) >= 0;

    /// <summary>Reads an id from the text <see cref="ToString()"/> gave.</summary>
    /// <param name="text">28 hexadecimal characters.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="text"/> is not a job id.</exception>
    public static JobId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var id))
        {
            throw new FormatException($"'{text}' is not a job id: expected {Length} hexadecimal characters, as JobId.ToString() writes them.");
        }

        return id;
    }

    /// <summary>Tries to read an id from the text <see cref="ToString()"/> gave.</summary>
    /// <param name="text">The text to read.</param>
    /// <param name="id">The id, when the text is one.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a job id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out JobId id) => TryParse(text.AsSpan(), out id);

    /// <summary>Tries to read an id from the text <see cref="ToString()"/> gave.</summary>
    /// <param name="text">The characters to read.</param>
    /// <param name="id">The id, when the text is one.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a job id.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out JobId id)
    {
        id = default;
        if (text.Length != Length
            || !long.TryParse(text[..TimestampDigits], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var timestamp)
            || !ulong.TryParse(text[TimestampDigits..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var sequence))
        {
            return false;
        }

        id = new JobId(timestamp, unchecked((long)sequence));
        return !id.IsEmpty;
    }

    /// <inheritdoc />
    public bool Equals(JobId other) => _timestamp == other._timestamp && _sequence == other._sequence;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is JobId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_timestamp, _sequence);

    /// <inheritdoc />
    public int CompareTo(JobId other)
    {
        var byTime = _timestamp.CompareTo(other._timestamp);
        return byTime != 0 ? byTime : ((ulong)_sequence).CompareTo((ulong)other._sequence);
    }

    /// <summary>Writes the id as 28 lower-case hexadecimal characters.</summary>
    /// <returns>The id's text, which <see cref="Parse(string)"/> reads back.</returns>
    public override string ToString() =>
        string.Create(Length, this, static (span, id) =>
        {
            id._timestamp.TryFormat(span[..TimestampDigits], out _, "x12", CultureInfo.InvariantCulture);
            ((ulong)id._sequence).TryFormat(span[TimestampDigits..], out _, "x16", CultureInfo.InvariantCulture);
        });
}
