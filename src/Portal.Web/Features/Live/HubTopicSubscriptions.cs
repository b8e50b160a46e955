using System.Collections.Concurrent;
using Portal.Data.Live;

namespace Portal.Web.Features.Live;

/// <summary>
/// The live-event subscriptions of this process's hub connections, one per connection and topic, each with its own
/// queue on <see cref="LiveEventBus"/>: a slow client delays only itself. Hubs hold no state; this does, per process,
/// as connections are. Disposed with the connection.
/// </summary>
public sealed class HubTopicSubscriptions(LiveEventBus bus)
{
    private readonly ConcurrentDictionary<(string ConnectionId, string Topic), LiveSubscription> subscriptions = new();

    /// <summary>
    /// Subscribes a connection to a topic (replacing an earlier subscription of it to the same topic). From the next
    /// event to commit, or, with <paramref name="afterSequence"/>, from the one after it (read from the outbox).
    /// Returns the position delivery starts from.
    /// </summary>
    public async Task<long> SubscribeAsync(string connectionId, string topic, long? afterSequence,
        Func<LiveEventEnvelope, Task> send, Func<Task> resync, CancellationToken cancellationToken)
    {
        var subscription = await bus.SubscribeAsync([topic], afterSequence, send, resync, cancellationToken);
        if (subscriptions.TryGetValue((connectionId, topic), out var earlier))
        {
            earlier.Dispose();
        }

        subscriptions[(connectionId, topic)] = subscription;
        return subscription.LastSequence;
    }

    public void Unsubscribe(string connectionId, string topic)
    {
        if (subscriptions.TryRemove((connectionId, topic), out var subscription))
        {
            subscription.Dispose();
        }
    }

    public void Closed(string connectionId)
    {
        foreach (var key in subscriptions.Keys.Where(k => k.ConnectionId == connectionId).ToList())
        {
            Unsubscribe(connectionId, key.Topic);
        }
    }
}
