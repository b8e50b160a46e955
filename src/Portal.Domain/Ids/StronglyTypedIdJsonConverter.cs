using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Domain.Ids;

/// <summary>
/// Writes a typed id as the plain uuid string and reads it back, as a value or a dictionary key, so the JSON of the
/// API, of live events and of audit details is the same as when the ids were bare Guids.
/// </summary>
public sealed class StronglyTypedIdJsonConverter<TId> : JsonConverter<TId>
    where TId : struct, IStronglyTypedId<TId>
{
    public override TId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TId.From(reader.GetGuid());

    public override void Write(Utf8JsonWriter writer, TId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);

    public override TId ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        StronglyTypedId.TryParse(reader.GetString(), out TId id) ? id : throw new JsonException($"A {typeof(TId).Name} key must be a uuid.");

    public override void WriteAsPropertyName(Utf8JsonWriter writer, TId value, JsonSerializerOptions options) =>
        writer.WritePropertyName(StronglyTypedId.Format(value.Value));
}
