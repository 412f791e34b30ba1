using System.Text.Json;
using System.Text.Json.Serialization;

namespace InProc;

/// <summary>Writes a <see cref="JobId"/> as its string.</summary>
internal sealed class JobIdJsonConverter : JsonConverter<JobId>
{
    public override JobId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JobId.TryParse(reader.GetString(), out var id) ? id : throw new JsonException("Expected a job id string.");

    public override void Write(Utf8JsonWriter writer, JobId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
