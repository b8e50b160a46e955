using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Domain.Live;

namespace Portal.Data.Live;

/// <summary>How live events are stored in the outbox and sent to hub clients: web JSON, enums by name, non-finite numbers by name.</summary>
public static class LiveEventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(), new MetricPointsJsonConverter() },
        // A diverging loss is a real point (Infinity, NaN): it must reach the page, not break the flush that wrote it.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static LiveEventRecord ToRecord(ILiveEvent liveEvent, DateTime createdUtc) => new()
    {
        Topic = liveEvent.Topic,
        Type = LiveEventTypes.NameOf(liveEvent),
        Payload = JsonSerializer.Serialize(liveEvent, liveEvent.GetType(), Options),
        CreatedUtc = createdUtc,
    };

    /// <summary>The event a row holds, or null for a type this build does not know (written by a newer node).</summary>
    public static ILiveEvent? Read(string type, string payload) =>
        LiveEventTypes.TypeOf(type) is { } clrType ? JsonSerializer.Deserialize(payload, clrType, Options) as ILiveEvent : null;
}
