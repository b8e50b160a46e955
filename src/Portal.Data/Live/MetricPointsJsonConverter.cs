using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Domain.Runs;

namespace Portal.Data.Live;

/// <summary>
/// Curve points in an outbox row, compactly and in order: <c>{"keys":["train.logLoss",…],"points":[[0,5,0.693],…]}</c>
/// (key index, step, value). A 1,000-point log-batch writes its points twice — as metric rows and in its live event —
/// and as objects with named fields the event was ~55 bytes a point; this is ~20.
/// </summary>
internal sealed class MetricPointsJsonConverter : JsonConverter<IReadOnlyList<MetricPoint>>
{
    public override IReadOnlyList<MetricPoint> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Curve points are an object with keys and points.");
        }

        List<string> keys = [];
        List<MetricPoint> points = [];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.GetString();
            reader.Read();
            if (property == "keys")
            {
                keys = JsonSerializer.Deserialize<List<string>>(ref reader, options) ?? [];
            }
            else if (property == "points")
            {
                foreach (var point in JsonSerializer.Deserialize<List<double[]>>(ref reader, options) ?? [])
                {
                    points.Add(new MetricPoint(keys[(int)point[0]], point[2], (long)point[1]));
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return points;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<MetricPoint> value, JsonSerializerOptions options)
    {
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var point in value)
        {
            keys.TryAdd(point.Key, keys.Count);
        }

        writer.WriteStartObject();
        writer.WritePropertyName("keys");
        JsonSerializer.Serialize(writer, keys.Keys, options);
        writer.WriteStartArray("points");
        foreach (var point in value)
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(keys[point.Key]);
            writer.WriteNumberValue(point.Step);
            // Through the serializer, so Infinity and NaN are written by name as the options allow.
            JsonSerializer.Serialize(writer, point.Value, options);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
