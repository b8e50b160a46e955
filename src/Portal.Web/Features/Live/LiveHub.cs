using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Portal.Data.Live;
using Portal.Domain.Live;
using Portal.Domain.Security;

namespace Portal.Web.Features.Live;

/// <summary>
/// Live events of any topic for clients outside the Blazor circuit (scripts, notebooks, dashboards, other services).
/// <c>Subscribe(topic)</c> starts with the next event to commit and returns that position; after a reconnect,
/// <c>Resume(topic, lastSequence)</c> delivers every event of the topic after the last one seen (from the outbox: no
/// gap, no duplicate), or <c>Resync(topic)</c> when that event is older than the outbox's retention. Each topic is
/// authorized by its own policy. Holds no state.
/// </summary>
public sealed class LiveHub(HubTopicSubscriptions subscriptions, HubSessions sessions, IAuthorizationService authorization)
    : TopicHub<ILiveClient>(subscriptions, sessions, Policies.SignedIn)
{
    public Task<long> Subscribe(string topic) => SubscribeAsync(topic, null);

    public Task<long> Resume(string topic, long afterSequence) =>
        afterSequence < 0 ? throw new HubException("afterSequence must be 0 or more.") : SubscribeAsync(topic, afterSequence);

    public void Unsubscribe(string topic) => Subscriptions.Unsubscribe(Context.ConnectionId, topic);

    private async Task<long> SubscribeAsync(string topic, long? afterSequence)
    {
        var policy = PolicyFor(topic) ?? throw new HubException($"'{topic}' is not a topic. Topics: run:<run id>, inbox, promotion:<request id>, model:<model id>, rollout:<rollout id>, monitoring:<model id>, alerts, dataprotection.");
        if (!(await authorization.AuthorizeAsync(Context.User!, policy)).Succeeded)
        {
            throw new HubException($"You may not follow {topic}.");
        }

        var client = Clients.Caller;
        return await Subscriptions.SubscribeAsync(Context.ConnectionId, topic, afterSequence,
            envelope => client.Event(ToMessage(envelope)),
            () => client.Resync(topic),
            Context.ConnectionAborted);
    }

    public static LiveEventMessage ToMessage(LiveEventEnvelope envelope) =>
        new(envelope.Sequence, envelope.Topic, envelope.Type, JsonSerializer.SerializeToElement(envelope.Event, envelope.Event.GetType(), LiveEventJson.Options));

    /// <summary>Who may follow a topic; null for a topic that does not exist. Later features add their topics here.</summary>
    private static string? PolicyFor(string topic) =>
        LiveTopics.TryParseRun(topic, out _) ? Policies.ReadExperiments
        : LiveTopics.IsRegistryTopic(topic) ? Policies.ReadRegistry
        : LiveTopics.IsMonitoringTopic(topic) ? Policies.ReadMonitoring
        : topic == LiveTopics.DataProtection ? Policies.ClassifyData
        : null;
}
