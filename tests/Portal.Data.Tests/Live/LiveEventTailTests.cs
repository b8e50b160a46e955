using Microsoft.Extensions.Time.Testing;
using Portal.Data.Live;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Live;
using Portal.Domain.Runs;

namespace Portal.Data.Tests.Live;

/// <summary>The outbox tail of a web process, over a real SQLite file written by other processes.</summary>
public sealed class LiveEventTailTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>
{
    [Fact]
    public async Task EventsCommittedByConcurrentWritersInAnotherProcessReachASubscriberOnceEachInSequenceOrder()
    {
        await using var live = await RunningTail.StartAsync(database);
        var topic = LiveTopics.Run(new RunId(Guid.NewGuid()));
        var subscriber = new RecordingSubscriber();
        using var subscription = await subscriber.SubscribeAsync(live.Bus, topic);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(writer => Task.Run(async () =>
        {
            for (var step = 0; step < 10; step++)
            {
                await live.PublishAsync(topic, writer * 100 + step);
            }
        })));
        var stored = await live.StoredAsync(topic);
        await subscriber.ReceivedAsync(stored[^1]);

        Assert.Equal(30, stored.Count);
        Assert.Equal(stored, subscriber.Sequences);
        Assert.All(subscriber.Received, e => Assert.IsType<RunChanged>(e.Event));
    }

    [Fact]
    public async Task ATailStartedOnAFullOutboxDeliversOnlyWhatCommitsAfterItStarts()
    {
        var topic = LiveTopics.Run(new RunId(Guid.NewGuid()));
        await using (var before = await RunningTail.StartAsync(database))
        {
            await before.PublishAsync(topic, 0);
        }

        await using var live = await RunningTail.StartAsync(database);
        var subscriber = new RecordingSubscriber();
        using var subscription = await subscriber.SubscribeAsync(live.Bus, topic);
        var next = await live.PublishAsync(topic, 1);
        await subscriber.ReceivedAsync(next);

        Assert.Equal([next], subscriber.Sequences);
    }

    [Fact]
    public async Task ThePruneRemovesOnlyEventsOlderThanTheRetentionWindow()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var topic = LiveTopics.Run(new RunId(Guid.NewGuid()));
        var old = await RunningTail.PublishAsync(database, topic, 0, time.GetUtcNow() - TimeSpan.FromMinutes(61));
        var young = await RunningTail.PublishAsync(database, topic, 1, time.GetUtcNow() - TimeSpan.FromMinutes(30));

        // A tail prunes as it starts, then once a minute.
        await using var live = await RunningTail.StartAsync(database, time, new LiveEventsOptions { PollMilliseconds = 10, RetentionMinutes = 60 });
        await Eventually.TrueAsync(async () => !(await live.StoredAsync(topic)).Contains(old), "the old event to be pruned");

        Assert.Equal([young], await live.StoredAsync(topic));

        // Half an hour on, the younger one is past the window too.
        time.Advance(TimeSpan.FromMinutes(31));
        await Eventually.TrueAsync(async () => (await live.StoredAsync(topic)).Count == 0, "the younger event to be pruned");
    }
}
