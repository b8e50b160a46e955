using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Portal.Data.Live;

/// <summary>
/// The subscribers of this process (pages' circuits, hub connections) and the delivery of the events the outbox tail
/// reads to the subscribers of their topics. Each subscriber has its own bounded queue and its own pump, so a slow or
/// failing one delays nobody else (and never a publisher, which only writes a row); one that falls a whole queue behind
/// is dropped, re-armed from the current position and told to resync from state. Every subscriber receives each
/// sequence number of its topics once, in order; one that resumes from a sequence it saw reads the gap from the outbox.
/// </summary>
public sealed class LiveEventBus(IDbContextFactory<PortalDbContext> dbFactory, IOptions<LiveEventsOptions> options, ILogger<LiveEventBus> logger)
{
    private const int ReplayPage = 1_000;

    private readonly Lock gate = new();
    private readonly Dictionary<string, HashSet<Subscriber>> byTopic = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long position;

    /// <summary>The last sequence delivered in this process (every event up to it has reached its subscribers' queues).</summary>
    public long Position
    {
        get
        {
            lock (gate)
            {
                return position;
            }
        }
    }

    /// <summary>Subscribers now registered, all topics (for tests and diagnostics).</summary>
    public int SubscriberCount
    {
        get
        {
            lock (gate)
            {
                return byTopic.Values.SelectMany(s => s).Distinct().Count();
            }
        }
    }

    /// <summary>
    /// Subscribes to <paramref name="topics"/>. Without <paramref name="afterSequence"/>, delivery starts with the next
    /// event to commit (read the state after subscribing, and merge). With it, every event of those topics after that
    /// sequence is delivered first from the outbox, then live; if that sequence has left the outbox (older than the
    /// retention), <paramref name="onResync"/> is called instead and delivery goes on live.
    /// <paramref name="onEvent"/> runs on the subscription's own pump, one event at a time.
    /// </summary>
    public async Task<LiveSubscription> SubscribeAsync(
        IReadOnlyCollection<string> topics,
        long? afterSequence,
        Func<LiveEventEnvelope, Task> onEvent,
        Func<Task> onResync,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(topics.Count);
        await started.Task.WaitAsync(cancellationToken);
        var subscriber = new Subscriber(this, [.. topics.Distinct(StringComparer.Ordinal)], onEvent, onResync, options.Value.SubscriberQueue);
        var startLive = Register(subscriber);
        subscriber.Start(afterSequence, startLive);
        return new LiveSubscription(subscriber);
    }

    /// <summary>Called once by the tail with the outbox head it starts from.</summary>
    internal void Start(long head)
    {
        lock (gate)
        {
            position = head;
        }

        started.TrySetResult();
    }

    /// <summary>Hands committed events, in sequence order, to the queues of their topics' subscribers.</summary>
    internal void Deliver(IReadOnlyList<TailedEvent> events, long through)
    {
        List<Subscriber>? fallen = null;
        lock (gate)
        {
            foreach (var envelope in events)
            {
                if (byTopic.TryGetValue(envelope.Topic, out var subscribers))
                {
                    foreach (var subscriber in subscribers)
                    {
                        if (!subscriber.TryEnqueue(envelope))
                        {
                            (fallen ??= []).Add(subscriber);
                        }
                    }
                }
            }

            position = Math.Max(position, through);
            foreach (var subscriber in fallen ?? [])
            {
                Unregister(subscriber);
            }
        }

        foreach (var subscriber in fallen ?? [])
        {
            logger.LogWarning("A live subscriber of {Topics} fell {Queue} events behind; dropped, it resyncs from state.",
                string.Join(", ", subscriber.Topics), options.Value.SubscriberQueue);
            subscriber.Overflowed();
        }
    }

    internal long Register(Subscriber subscriber)
    {
        lock (gate)
        {
            foreach (var topic in subscriber.Topics)
            {
                if (!byTopic.TryGetValue(topic, out var subscribers))
                {
                    byTopic[topic] = subscribers = [];
                }

                subscribers.Add(subscriber);
            }

            subscriber.Rearm();
            return position;
        }
    }

    internal void Unregister(Subscriber subscriber)
    {
        lock (gate)
        {
            foreach (var topic in subscriber.Topics)
            {
                if (byTopic.TryGetValue(topic, out var subscribers) && subscribers.Remove(subscriber) && subscribers.Count == 0)
                {
                    byTopic.Remove(topic);
                }
            }
        }
    }

    /// <summary>
    /// The events of <paramref name="topics"/> after <paramref name="after"/> up to <paramref name="through"/>, page by
    /// page; null when <paramref name="after"/> has left the outbox, so the gap cannot be told.
    /// </summary>
    internal async IAsyncEnumerable<LiveEventEnvelope>? ReplayAsync(string[] topics, long after, long through,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = after;
        while (next < through)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var page = await db.LiveEvents.AsNoTracking()
                .Where(e => topics.Contains(e.Topic) && e.Sequence > next && e.Sequence <= through)
                .OrderBy(e => e.Sequence)
                .Take(ReplayPage)
                .ToListAsync(cancellationToken);
            foreach (var row in page)
            {
                if (LiveEventJson.Read(row.Type, row.Payload) is { } liveEvent)
                {
                    yield return new LiveEventEnvelope(row.Sequence, row.Topic, row.Type, liveEvent);
                }
            }

            if (page.Count < ReplayPage)
            {
                yield break;
            }

            next = page[^1].Sequence;
        }
    }

    /// <summary>Whether any subscriber of this process follows <paramref name="topic"/> now.</summary>
    internal bool IsWatched(string topic)
    {
        lock (gate)
        {
            return byTopic.ContainsKey(topic);
        }
    }

    /// <summary>One event read by its sequence, for a subscriber that registered after the tail read it without its payload.</summary>
    internal async Task<LiveEventEnvelope?> LoadAsync(long sequence, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.LiveEvents.AsNoTracking().FirstOrDefaultAsync(e => e.Sequence == sequence, cancellationToken);
        return row is not null && LiveEventJson.Read(row.Type, row.Payload) is { } liveEvent
            ? new LiveEventEnvelope(row.Sequence, row.Topic, row.Type, liveEvent)
            : null;
    }

    /// <summary>Whether the event a subscriber saw last is still in the outbox (so nothing after it was pruned).</summary>
    internal async Task<bool> StillHeldAsync(long sequence, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // From the very start (0): only while nothing was ever pruned.
        return sequence == 0
            ? (await db.LiveEvents.MinAsync(e => (long?)e.Sequence, cancellationToken) ?? 1) == 1
            : await db.LiveEvents.AnyAsync(e => e.Sequence == sequence, cancellationToken);
    }

    internal ILogger Logger => logger;
}
