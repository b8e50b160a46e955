using Microsoft.AspNetCore.SignalR;

namespace Portal.Web.Features.Live;

/// <summary>
/// A hub whose connections follow live-event topics: each connection is re-checked by <see cref="HubSessions"/> as
/// long as it is open (admitted by <paramref name="policy"/>), and its topic subscriptions end with it.
/// </summary>
public abstract class TopicHub<TClient>(HubTopicSubscriptions subscriptions, HubSessions sessions, string policy) : Hub<TClient>
    where TClient : class
{
    protected HubTopicSubscriptions Subscriptions => subscriptions;

    public override Task OnConnectedAsync()
    {
        sessions.Opened(Context, policy);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Closed(Context);
        subscriptions.Closed(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
