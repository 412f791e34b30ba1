using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using InProc.Execution;

namespace InProc.Store;

/// <summary>
/// Messages and failed attempts to and from JSON (System.Text.Json), for the stores that write them (SQLite, PostgreSQL);
/// <paramref name="notSerializable"/> makes the store's own error for a message that cannot be written.
/// </summary>
internal sealed class MessageCodec(JsonSerializerOptions? options, Func<Type, Exception, Exception> notSerializable)
{
    private const string Justification = "UseSqliteJournal and UsePostgreSql are marked RequiresUnreferencedCode/RequiresDynamicCode: reflection-based JSON unless the user's options carry a source-generated resolver.";

    private static readonly JsonSerializerOptions Defaults = new(JsonSerializerDefaults.General);

    private readonly JsonSerializerOptions _options = options ?? Defaults;

    /// <summary>The message as UTF-8 JSON; throws, saying how to fix it, when it cannot be written (a caller's enqueue then throws).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Justification)]
    [UnconditionalSuppressMessage("AotAnalysis", "IL3050", Justification = Justification)]
    public byte[] Write(Envelope envelope)
    {
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(envelope.Message, envelope.Registration.MessageType, _options);
        }
#pragma warning disable CA1031 // A converter is user code: any failure becomes the enqueue's clear error.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            throw notSerializable(envelope.Registration.MessageType, ex);
        }
    }

    /// <summary>The message read back, or the reason it cannot be.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Justification)]
    [UnconditionalSuppressMessage("AotAnalysis", "IL3050", Justification = Justification)]
    public object? Read(byte[] payload, Type type, out string? reason)
    {
        try
        {
            var message = JsonSerializer.Deserialize(payload, type, _options);
            reason = message is null ? "the stored JSON is null" : null;
            return message;
        }
#pragma warning disable CA1031 // A converter is user code: a row that does not bind becomes a dead letter, never a crash.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            reason = $"its JSON does not bind to {type.FullName} ({ex.GetType().Name}: {ex.Message})";
            return null;
        }
    }

    public static string? WriteFailures(JobAttempt[] failures)
    {
        if (failures.Length == 0)
        {
            return null;
        }

        var rows = new FailureRow[failures.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var f = failures[i];
            rows[i] = new FailureRow(f.Attempt, f.StartedAt?.UtcTicks ?? 0, f.EndedAt.UtcTicks, f.ErrorType, f.Error);
        }

        return JsonSerializer.Serialize(rows, StoreJsonContext.Default.FailureRowArray);
    }

    public static JobAttempt[] ReadFailures(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            var rows = JsonSerializer.Deserialize(json, StoreJsonContext.Default.FailureRowArray) ?? [];
            return [.. rows.Select(r => new JobAttempt(r.Attempt, r.StartedAt == 0 ? null : new DateTimeOffset(r.StartedAt, TimeSpan.Zero), new DateTimeOffset(r.EndedAt, TimeSpan.Zero), r.ErrorType, r.Error))];
        }
        catch (JsonException)
        {
            return []; // the history is a convenience; a damaged one must not stop the job
        }
    }
}
