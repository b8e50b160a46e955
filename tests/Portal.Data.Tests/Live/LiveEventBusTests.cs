using Microsoft.Extensions.Time.Testing;
using Portal.Data.Live;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Live;
using Portal.Domain.Runs;

namespace Portal.Data.Tests.Live;

/// <summary>Delivery by topic to this process's subscribers, and resuming from a sequence.</summary>
public sealed class LiveEventBusTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>
{
    [Fact]
    public async Task ASubscriberResumingFromASequenceGetsTheGapFromTheOutboxThenLiveEventsWithoutDuplicates()
    {
        await using var live = await RunningTail.StartAsync(database);
        var topic = LiveTopics.Run(new RunId(Guid.NewGuid()));
        var seen = await live.PublishAsync(topic, 0);
        var missed1 = await live.PublishAsync(topic, 1);
        var missed2 = await live.PublishAsync(topic, 2);
        // Already past the tail: these can only come from the outbox.
        await live.CaughtUpAsync();
        var subscriber = new RecordingSubscriber();

        using var subscription = await subscriber.SubscribeAsync(live.Bus, topic, afterSequence: seen);
        var liveOne = await live.PublishAsync(topic, 3);
        var last = await live.PublishAsync(topic, 4);
        await subscriber.ReceivedAsync(last);

        Assert.Equal([missed1, missed2, liveOne, last], subscriber.Sequences);
        Assert.Equal(0, subscriber.Resyncs);
        Assert.Equal(last, subscription.LastSequence);
    }

    [Fact]
    public async Task ASubscriberResumingWhileAWriterCommitsReceivesEveryLaterEventOnceInOrder()
    {
        await using var live = await RunningTail.StartAsync(database);
        var topic = LiveTopics.Run(new RunId(Guid.NewGuid()));
        var seen = await live.PublishAsync(topic, 0);
        var writing = Task.Run(async () =>
        {
            for (var step = 1; step <= 60; step++)
            {
                await live.PublishAsync(topic, step);
            }
        });
        await Eventually.TrueAsync(async () => (await live.StoredAsync(topic)).Count >= 15, "the writer to be under way");
        var subscriber = new RecordingSubscriber();

        using var subscription = await subscriber.SubscribeAsync(live.Bus, topic, afterSequence: seen);
        await writing;
        var last = await live.PublishAsync(topic, 61);
        await subscriber.ReceivedAsync(last);

        Assert.Equal((await live.StoredAsync(topic)).Where(s => s > seen), subscriber.Sequences);
    }

    [Fact]
    public async Task ASubscriberResumingFromAPrunedSequenceIsToldToResyncAndThenReceivesLiveEvents()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var topic = LiveTopics.Run(new RunId(Guid.NewGuid()));
        var seen = await RunningTail.PublishAsync(database, topic, 0, time.GetUtcNow() - TimeSpan.FromHours(2));
        await RunningTail.PublishAsync(database, topic, 1, time.GetUtcNow() - TimeSpan.FromHours(2));
        // The tail starts past both, and prunes them as it starts.
        await using var live = await RunningTail.StartAsync(database, time, new LiveEventsOptions { PollMilliseconds = 10, RetentionMinutes = 60 });
        await Eventually.TrueAsync(async () => (await live.StoredAsync(topic)).Count == 0, "the prune");
        var subscriber = new RecordingSubscriber();

        using var subscription = await subscriber.SubscribeAsync(live.Bus, topic, afterSequence: seen);
        await Eventually.TrueAsync(() => subscriber.Resyncs > 0, "the resync");
        var next = await live.PublishAsync(topic, 2);
        await subscriber.ReceivedAsync(next);

        Assert.Equal(1, subscriber.Resyncs);
        Assert.Equal([next], subscriber.Sequences);
    }

    [Fact]
    public async Task ASubscriberReceivesTheEventsOfItsTopicAndNoneOfAnother()
    {
        await using var live = await RunningTail.StartAsync(database);
        var (topicA, topicB) = (LiveTopics.Run(new RunId(Guid.NewGuid())), LiveTopics.Run(new RunId(Guid.NewGuid())));
        var (a, b) = (new RecordingSubscriber(), new RecordingSubscriber());
        using var subscriptionA = await a.SubscribeAsync(live.Bus, topicA);
        using var subscriptionB = await b.SubscribeAsync(live.Bus, topicB);

        var a1 = await live.PublishAsync(topicA, 0);
        var b1 = await live.PublishAsync(topicB, 0);
        var a2 = await live.PublishAsync(topicA, 1);
        var b2 = await live.PublishAsync(topicB, 1);
        await live.CaughtUpAsync();
        await a.ReceivedAsync(a2);
        await b.ReceivedAsync(b2);

        Assert.Equal([a1, a2], a.Sequences);
        Assert.Equal([b1, b2], b.Sequences);
        Assert.All(a.Received, e => Assert.Equal(topicA, e.Topic));
    }

    [Fact]
    public async Task AHandlerThatThrowsStillReceivesTheEventsAfterIt()
    {
        await using var live = await RunningTail.StartAsync(database);
        var topic = LiveTopics.Run(new RunId(Guid.NewGuid()));
        var subscriber = new RecordingSubscriber(throwOn: e => true);
        using var subscription = await subscriber.SubscribeAsync(live.Bus, topic);

        var first = await live.PublishAsync(topic, 0);
        var second = await live.PublishAsync(topic, 1);
        var third = await live.PublishAsync(topic, 2);
        await subscriber.ReceivedAsync(third);

        Assert.Equal([first, second, third], subscriber.Sequences);
    }

    [Fact]
    public async Task ADisposedSubscriptionReceivesNothingMore()
    {
        await using var live = await RunningTail.StartAsync(database);
        var topic = LiveTopics.Run(new RunId(Guid.NewGuid()));
        var subscriber = new RecordingSubscriber();
        var watcher = new RecordingSubscriber();
        using var watching = await watcher.SubscribeAsync(live.Bus, topic);
        var subscription = await subscriber.SubscribeAsync(live.Bus, topic);
        var first = await live.PublishAsync(topic, 0);
        await subscriber.ReceivedAsync(first);

        subscription.Dispose();
        await subscription.Completion.WaitAsync(RunningTail.Delivery);
        var after = await live.PublishAsync(topic, 1);
        await watcher.ReceivedAsync(after);

        Assert.Equal([first], subscriber.Sequences);
        Assert.Equal(1, live.Bus.SubscriberCount);
    }

    [Fact]
    public async Task AnEventTheTailReadWithoutItsPayloadReachesASubscriberThatCameMeanwhileLoadedFromTheOutbox()
    {
        // The tail reads payloads only of watched topics; a subscriber that registers between its read and its delivery
        // must still get the event, whole and once. No tail runs here: the test hands the bus what the tail would.
        var bus = new LiveEventBus(database.Factory, Microsoft.Extensions.Options.Options.Create(new LiveEventsOptions()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<LiveEventBus>.Instance);
        var topic = LiveTopics.Run(new RunId(Guid.NewGuid()));
        var sequence = await RunningTail.PublishAsync(database, topic, 7, DateTimeOffset.UtcNow);
        bus.Start(sequence - 1);
        var subscriber = new RecordingSubscriber();
        using var subscription = await subscriber.SubscribeAsync(bus, topic);

        bus.Deliver([new TailedEvent(sequence, topic, null)], sequence);
        await subscriber.ReceivedAsync(sequence);

        var received = Assert.Single(subscriber.Received);
        var changed = Assert.IsType<RunChanged>(received.Event);
        Assert.Equal(7, changed.Points[0].Step);
    }
}
