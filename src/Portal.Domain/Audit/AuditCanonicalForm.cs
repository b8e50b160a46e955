using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Domain.Audit;

/// <summary>
/// The canonical form an audit entry's hash is taken over: a compact JSON object with a fixed key order,
/// details with object keys sorted (ordinal) at every depth, and the time as ISO-8601 UTC to the microsecond
/// (the precision both SQLite and PostgreSQL keep).
/// </summary>
public static class AuditCanonicalForm
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public static DateTime NormalizeTime(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);
    }

    /// <summary>Returns the details JSON with keys sorted and no insignificant whitespace. Null or blank becomes "{}".</summary>
    public static string CanonicalizeDetails(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return "{}";
        }

        var node = JsonNode.Parse(json) ?? throw new FormatException("Audit details must be a JSON value, not null.");
        return Sort(node)!.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    public static string Build(
        long sequence, DateTime timestampUtc, AuditActor actor, string action, AuditSubject subject,
        string canonicalDetails, string previousHash)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("seq", sequence);
            writer.WriteString("ts", timestampUtc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            writer.WriteString("actorKind", actor.Kind.ToString());
            writer.WriteString("actorId", actor.Id);
            writer.WriteString("actorName", actor.Name);
            writer.WriteString("action", action);
            writer.WriteString("subjectType", subject.Type);
            writer.WriteString("subjectId", subject.Id);
            writer.WritePropertyName("details");
            writer.WriteRawValue(canonicalDetails, skipInputValidation: false);
            writer.WriteString("prev", previousHash);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string Hash(string canonical) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Sort).ToArray()),
        null => null,
        _ => JsonNode.Parse(node.ToJsonString()),
    };
}
