using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Portal.Application.Live;

/// <summary>
/// The in-process live feed: the training host publishes, circuits and the SignalR forwarder subscribe. A slow or
/// failing subscriber never holds up training (its exception is logged and dropped). Subscribers that miss an
/// update (a page reconnecting, a worker in another process) catch up from the database.
/// </summary>
public sealed class RunFeed(ILogger<RunFeed> logger)
{
    private readonly ConcurrentDictionary<Guid, Func<RunUpdate, Task>> subscribers = new();

    public IDisposable Subscribe(Func<RunUpdate, Task> handler)
    {
        var id = Guid.NewGuid();
        subscribers[id] = handler;
        return new Subscription(() => subscribers.TryRemove(id, out _));
    }

    public async Task PublishAsync(RunUpdate update)
    {
        foreach (var handler in subscribers.Values)
        {
            try
            {
                await handler(update);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A live-feed subscriber failed on run {RunId}.", update.RunId);
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
