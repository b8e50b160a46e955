using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Live;
using Portal.Domain.Live;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Web.Features.Runs;
using Portal.Web.Tests.Infrastructure;
using Portal.Worker.Training;

namespace Portal.Web.Tests.Live;

/// <summary>The live-event path on SQLite.</summary>
public sealed class OutboxDeliveryTests(PortalAppFactory factory) : OutboxDeliveryTestsBase(factory), IClassFixture<PortalAppFactory>;

/// <summary>The live-event path on a private PostgreSQL server, the provider of several web nodes and workers.</summary>
public sealed class PostgresOutboxDeliveryTests(PostgresAppFactory factory) : OutboxDeliveryTestsBase(factory), IClassFixture<PostgresAppFactory>;

/// <summary>
/// Runs changed by another process: this web process has no worker (it is off in these factories); the test writes
/// through a context of its own, as a standalone worker or another web node does (the run's change and its live event
/// in one transaction, without waking this process's tail), and this process's hub subscribers receive it from the outbox.
/// </summary>
public abstract class OutboxDeliveryTestsBase(PortalAppFactory factory)
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AnotherProcesssPointsProgressLogAndEndReachHubSubscribersInCommitOrder()
    {
        var (runId, subscriber) = await SubscribedToNewRunAsync(DemoAccounts.Manager);
        await using var subscription = subscriber;

        await WriteAsync(runId, run => run.Claimed("remote-worker", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), [], null);
        await WriteAsync(runId, run => run.Report(0.4, "training"), Points(0, 3), null);
        await WriteAsync(runId, run => run.Report(0.8, "training"), Points(3, 2), "remote-worker: 5 of 6 steps");
        await WriteAsync(runId, run => run.Succeed(DateTimeOffset.UtcNow, null, null, "5.0.0", "areaUnderRocCurve", 0.9), Points(5, 1), "Finished");
        var end = await subscriber.WaitForStatusAsync(Delivery, "Succeeded", "Failed", "Cancelled");

        var updates = subscriber.Updates;
        Assert.Equal("Queued", subscriber.Snapshot!.Status);
        Assert.Empty(subscriber.Snapshot.Points);
        // Every write, once, in the order it committed: no progress value skipped, nothing after the end.
        Assert.Equal(["Running", "Running", "Running", "Succeeded"], updates.Select(u => u.Status));
        Assert.Equal([0.0, 0.4, 0.8, 1.0], updates.Select(u => u.Progress));
        Assert.True(updates.Zip(updates.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence), "sequences grow");
        Assert.True(updates[0].Sequence > subscriber.Snapshot.Sequence, "updates follow the snapshot");
        Assert.Equal("remote-worker: 5 of 6 steps", updates[2].LogLine);
        Assert.Same(end, updates[^1]);
        Assert.Equal(Points(0, 6).Select(p => (p.Step, p.Value)), subscriber.MergedCurves()["validation.logLoss"]);
    }

    [Fact]
    public async Task ADivergingLossPointOfInfinityIsWrittenAndReachesSubscribers()
    {
        var (runId, subscriber) = await SubscribedToNewRunAsync(DemoAccounts.Manager);
        await using var subscription = subscriber;

        await WriteAsync(runId, run => run.Claimed("remote-worker", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)),
            [new MetricPoint("train.loss", 3.5, 0), new MetricPoint("train.loss", double.PositiveInfinity, 1)], null);
        await subscriber.WaitForAsync(u => u.Count == 1, Delivery, "the diverging points");

        var points = subscriber.Updates[0].Points;
        Assert.Equal(3.5, points[0].Value);
        Assert.Equal(double.PositiveInfinity, points[1].Value);
    }

    [Fact]
    public async Task ARetryTellsSubscribersThatTheCurveStartsAfresh()
    {
        var (runId, subscriber) = await SubscribedToNewRunAsync(DemoAccounts.Dpo);
        await using var subscription = subscriber;
        var leases = ActivatorUtilities.CreateInstance<RunLeases>(factory.Services);
        await leases.TryClaimAsync("first-worker", TimeSpan.FromMinutes(5), CancellationToken.None);
        await WriteAsync(runId, run => run.Report(0.5, "training"), Points(0, 4), null);
        await subscriber.WaitForAsync(u => Received(u).Count == 4, Delivery, "the first attempt's points");

        // The first worker vanishes; the run goes back to the queue; a second worker clears the curve and starts again.
        await WriteAsync(runId, run => run.Requeue(), [], null);
        await leases.TryClaimAsync("second-worker", TimeSpan.FromMinutes(5), CancellationToken.None);
        await using (var db = factory.RemoteDb())
        {
            await db.RunMetrics.Where(m => m.RunId == new RunId(runId)).ExecuteDeleteAsync();
            db.PublishRunChanged(await db.Runs.FirstAsync(r => r.Id == new RunId(runId)), DateTimeOffset.UtcNow, "cleared", curvesCleared: true);
            await db.SaveChangesAsync();
        }

        await subscriber.WaitForAsync(u => u.Any(x => x.CurvesCleared), Delivery, "the cleared curve");
        Assert.Equal(["Running", "Running", "Queued", "Running", "Running"], subscriber.Updates.Select(u => u.Status));
    }

    [Fact]
    public async Task ASubscriberOfOneRunReceivesNothingOfAnother()
    {
        var (watched, subscriber) = await SubscribedToNewRunAsync(DemoAccounts.Manager);
        await using var subscription = subscriber;
        var other = await SubmitRunAsync("other");

        await WriteAsync(other, run => run.Claimed("remote-worker", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), Points(0, 50), "other run");
        await WriteAsync(watched, run => run.Claimed("remote-worker", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), Points(0, 1), null);
        // The other run's events committed first: a connection receives in sequence order, so had any reached it, it
        // would have arrived before the watched run's update.
        await subscriber.WaitForAsync(u => u.Count > 0, Delivery, "the watched run's update");

        Assert.All(subscriber.Updates, u => Assert.Equal(watched, u.RunId));
        Assert.Single(subscriber.Updates);
    }

    [Fact]
    public async Task AReconnectedClientResumesFromItsLastSequenceWithoutGapOrDuplicate()
    {
        var (runId, first) = await SubscribedToNewRunAsync(DemoAccounts.Manager);
        await WriteAsync(runId, run => run.Claimed("remote-worker", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), Points(0, 2), null);
        await first.WaitForAsync(u => u.Count == 1, Delivery, "the first update");
        var last = first.Updates[^1].Sequence;
        await first.DisposeAsync();

        // Written while the client is away.
        await WriteAsync(runId, run => run.Report(0.3, "training"), Points(2, 2), "while away 1");
        await WriteAsync(runId, run => run.Report(0.6, "training"), Points(4, 2), "while away 2");
        var reader = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Manager, ApiScopes.Read);
        await using var second = await RunsHubSubscriber.ConnectAsync(factory, reader.Token);
        await second.ResumeAsync(runId, last);
        await WriteAsync(runId, run => run.Report(0.9, "training"), Points(6, 1), "live again");
        // In sequence order: once the live update is in, a repeat or a gap before it would show in the list.
        await second.WaitForAsync(u => u.Any(x => x.LogLine == "live again"), Delivery, "the missed updates and the live one");

        Assert.Equal(["while away 1", "while away 2", "live again"], second.Updates.Select(u => u.LogLine));
        Assert.Equal(second.Updates.Select(u => u.Sequence).Distinct().Order(), second.Updates.Select(u => u.Sequence));
        Assert.All(second.Updates, u => Assert.True(u.Sequence > last));
        Assert.Empty(second.Resyncs);
    }

    [Fact]
    public async Task ResumingAfterAnEventTheOutboxNoLongerHoldsIsToldToResync()
    {
        var (runId, first) = await SubscribedToNewRunAsync(DemoAccounts.Manager);
        await WriteAsync(runId, run => run.Claimed("remote-worker", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), Points(0, 2), null);
        await first.WaitForAsync(u => u.Count == 1, Delivery, "the first update");
        var last = first.Updates[^1].Sequence;
        await first.DisposeAsync();
        await using (var db = factory.RemoteDb())
        {
            // What the retention prune does to events older than its window.
            await db.LiveEvents.Where(e => e.Sequence <= last).ExecuteDeleteAsync();
        }

        // Written while the client is away (and read by this node's tail): it cannot tell whether it missed more.
        await WriteAsync(runId, run => run.Report(0.5, "training"), Points(2, 1), null);
        await WaitUntilTailedAsync();

        var reader = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Manager, ApiScopes.Read);
        await using var second = await RunsHubSubscriber.ConnectAsync(factory, reader.Token);
        await second.ResumeAsync(runId, last);
        var deadline = DateTime.UtcNow + Delivery;
        while (second.Resyncs.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal([runId], second.Resyncs);
    }

    [Fact]
    public async Task ConcurrentWritersEventsReachASubscriberOfAllTheirTopicsOnceEachInSequenceOrder()
    {
        var runs = new List<RunId>();
        for (var i = 0; i < 6; i++)
        {
            runs.Add(new RunId(await SubmitRunAsync($"concurrent-{i}")));
        }

        var received = new System.Collections.Concurrent.ConcurrentQueue<long>();
        var bus = factory.Services.GetRequiredService<LiveEventBus>();
        using var subscription = await bus.SubscribeAsync([.. runs.Select(LiveTopics.Run)], null,
            e => { received.Enqueue(e.Sequence); return Task.CompletedTask; }, () => Task.CompletedTask, CancellationToken.None);
        var from = subscription.LastSequence;

        // Six writers at once, each its own process-like context, 30 transactions each.
        await Task.WhenAll(runs.Select(runId => Task.Run(async () =>
        {
            for (var step = 0; step < 30; step++)
            {
                await using var db = factory.RemoteDb();
                var run = await db.Runs.FirstAsync(r => r.Id == runId);
                db.Publish(new RunChanged(runId, RunStatus.Running, step / 30.0, "training", [new MetricPoint("train.loss", step, step)], [], null), DateTimeOffset.UtcNow);
                await db.SaveChangesAsync();
            }
        })));

        List<long> stored;
        await using (var db = factory.RemoteDb())
        {
            var topics = runs.Select(LiveTopics.Run).ToList();
            stored = await db.LiveEvents.Where(e => e.Sequence > from && topics.Contains(e.Topic)).OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync();
        }

        var deadline = DateTime.UtcNow + Delivery;
        while (received.Count < stored.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(180, stored.Count);
        Assert.Equal(stored, received.ToList());
    }

    /// <summary>Waits until this node's tail has delivered everything the outbox holds now.</summary>
    private async Task WaitUntilTailedAsync()
    {
        long head;
        await using (var db = factory.RemoteDb())
        {
            head = await db.LiveEvents.MaxAsync(e => (long?)e.Sequence) ?? 0;
        }

        var bus = factory.Services.GetRequiredService<LiveEventBus>();
        var deadline = DateTime.UtcNow + Delivery;
        while (bus.Position < head && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    private static List<(long Step, double Value)> Received(IEnumerable<RunUpdateMessage> updates) =>
        [.. updates.SelectMany(u => u.Points).Where(p => p.Key == "validation.logLoss").Select(p => (p.Step, p.Value))];

    private static List<MetricPoint> Points(long from, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new MetricPoint("validation.logLoss", 1.0 / (from + i + 1), from + i))];

    /// <summary>What a worker in another process writes: the run's change, its points and log line, and the live event, in one transaction.</summary>
    private async Task WriteAsync(Guid id, Action<Run> change, IReadOnlyList<MetricPoint> points, string? log)
    {
        var runId = new RunId(id);
        await using var db = factory.RemoteDb();
        var run = await db.Runs.FirstAsync(r => r.Id == runId);
        change(run);
        db.RunMetrics.AddRange(points.Select(p => new RunMetric { RunId = runId, Key = p.Key, Value = p.Value, Step = p.Step, TimestampUtc = DateTime.UtcNow }));
        db.PublishRunChanged(run, DateTimeOffset.UtcNow, log, points);
        await db.SaveChangesAsync();
    }

    private async Task<Guid> SubmitRunAsync(string experiment)
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var client = TokenFactory.ClientWith(factory, token.Token);
        return await client.SubmitLoanRunAsync(await client.UploadLoansAsync($"loans-{experiment}", rows: 300, seed: 8), experiment, "FastTree");
    }

    /// <summary>A queued run and this process's hub subscriber of it.</summary>
    private async Task<(Guid RunId, RunsHubSubscriber Subscriber)> SubscribedToNewRunAsync(string reader)
    {
        var runId = await SubmitRunAsync("outbox");
        var readToken = await TokenFactory.CreateAsync(factory.Services, reader, ApiScopes.Read);
        var subscriber = await RunsHubSubscriber.ConnectAsync(factory, readToken.Token);
        await subscriber.SubscribeAsync(runId);
        return (runId, subscriber);
    }
}
