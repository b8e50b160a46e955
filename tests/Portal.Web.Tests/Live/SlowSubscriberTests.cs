using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Live;
using Portal.Domain.Live;
using Portal.Domain.Runs;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Live;

/// <summary>A portal whose live subscribers may have 32 events waiting, so falling behind is quick to provoke.</summary>
public sealed class SmallQueueAppFactory : PortalAppFactory
{
    public const int Queue = 32;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("LiveEvents:SubscriberQueue", Queue.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// Publishing is a row in the publisher's transaction; delivery runs on each subscriber's own queue. A subscriber
/// that blocks holds up neither the publisher (a training flush) nor anyone else; one that falls a whole queue
/// behind is dropped, re-armed and told to resync.
/// </summary>
public sealed class SlowSubscriberTests(SmallQueueAppFactory factory) : IClassFixture<SmallQueueAppFactory>
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ASubscriberBlockedForTenSecondsDelaysNeitherThePublisherNorAnotherSubscriber()
    {
        var topic = LiveTopics.Run(new RunId(Guid.NewGuid()));
        var bus = factory.Services.GetRequiredService<LiveEventBus>();
        using var release = new SemaphoreSlim(0);
        var blockedCalls = 0;
        var slowReceived = new ConcurrentQueue<long>();
        var fastReceived = new ConcurrentQueue<long>();
        using var slow = await bus.SubscribeAsync([topic], null, async e =>
        {
            Interlocked.Increment(ref blockedCalls);
            await release.WaitAsync(TimeSpan.FromSeconds(10));
            slowReceived.Enqueue(e.Sequence);
        }, () => Task.CompletedTask, CancellationToken.None);
        using var fast = await bus.SubscribeAsync([topic], null, e => { fastReceived.Enqueue(e.Sequence); return Task.CompletedTask; },
            () => Task.CompletedTask, CancellationToken.None);

        // Twenty flushes, as the training observer makes them: points and their event in one save.
        var publishing = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            await PublishAsync(topic, i);
        }

        publishing.Stop();
        var deadline = DateTime.UtcNow + Delivery;
        while (fastReceived.Count < 20 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        // The publisher finished and the other subscriber has everything while the slow one still sits in its first event.
        Assert.Equal(20, fastReceived.Count);
        Assert.Equal(1, Volatile.Read(ref blockedCalls));
        Assert.Empty(slowReceived);
        Assert.True(publishing.Elapsed < TimeSpan.FromSeconds(10), $"publishing took {publishing.Elapsed}");

        // Released, the slow subscriber receives all twenty, once each, in order.
        release.Release(20);
        deadline = DateTime.UtcNow + Delivery;
        while (slowReceived.Count < 20 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(fastReceived.ToList(), slowReceived.ToList());
    }

    [Fact]
    public async Task ASubscriberThatFallsAWholeQueueBehindIsDroppedToldToResyncAndThenReceivesWhatFollows()
    {
        var topic = LiveTopics.Run(new RunId(Guid.NewGuid()));
        var bus = factory.Services.GetRequiredService<LiveEventBus>();
        using var release = new SemaphoreSlim(0);
        var received = new ConcurrentQueue<long>();
        var resyncs = 0;
        using var slow = await bus.SubscribeAsync([topic], null, async e =>
        {
            await release.WaitAsync(TimeSpan.FromSeconds(20));
            received.Enqueue(e.Sequence);
        }, () => { Interlocked.Increment(ref resyncs); return Task.CompletedTask; }, CancellationToken.None);

        // One event being handled, a full queue waiting, and more: the subscriber has fallen behind.
        for (var i = 0; i < SmallQueueAppFactory.Queue + 10; i++)
        {
            await PublishAsync(topic, i);
        }

        var deadline = DateTime.UtcNow + Delivery;
        while (bus.Position < await HeadAsync() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        release.Release(1_000);
        while (Volatile.Read(ref resyncs) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, Volatile.Read(ref resyncs));
        var beforeResync = received.Count;
        Assert.True(beforeResync <= SmallQueueAppFactory.Queue + 1, $"{beforeResync} events delivered before the resync");

        // Re-armed: what is published after the resync arrives.
        var after = await PublishAsync(topic, 999);
        while (!received.Contains(after) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Contains(after, received);
        Assert.Equal(received.Order().ToList(), received.ToList());
    }

    private async Task<long> PublishAsync(string topic, int step)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        LiveTopics.TryParseRun(topic, out var runId);
        var record = LiveEventJson.ToRecord(
            new RunChanged(runId, RunStatus.Running, 0.5, "training", [new MetricPoint("train.loss", 1.0 / (step + 1), step)], [], null), DateTime.UtcNow);
        db.LiveEvents.Add(record);
        await db.SaveChangesAsync();
        return record.Sequence;
    }

    private async Task<long> HeadAsync()
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.LiveEvents.MaxAsync(e => (long?)e.Sequence) ?? 0;
    }
}
