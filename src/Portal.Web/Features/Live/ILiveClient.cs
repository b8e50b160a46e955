using System.Text.Json;

namespace Portal.Web.Features.Live;

/// <summary>What subscribers of <see cref="LiveHub"/> receive.</summary>
public interface ILiveClient
{
    /// <summary>An event of a subscribed topic; each sequence number once, in order.</summary>
    Task Event(LiveEventMessage message);

    /// <summary>The connection fell behind (or resumed from an event the outbox no longer holds): re-read the topic's state.</summary>
    Task Resync(string topic);
}

/// <summary>A live event as sent to hub clients: its place in the outbox, topic, type name and the event as JSON.</summary>
public sealed record LiveEventMessage(long Sequence, string Topic, string Type, JsonElement Payload);
