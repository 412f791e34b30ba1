using System.Text.Json.Serialization;

namespace InProc.Store;

/// <summary>A failed attempt as a store writes it (<see cref="JobAttempt"/> has no public constructor to bind).</summary>
internal sealed record FailureRow(int Attempt, long StartedAt, long EndedAt, string ErrorType, string Error);

/// <summary>The stores' own JSON (the failed-attempt history), source-generated: no reflection, trim-safe.</summary>
[JsonSerializable(typeof(FailureRow[]))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
