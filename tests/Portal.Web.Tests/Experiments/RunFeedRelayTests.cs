using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Web.Tests.Infrastructure;
using Portal.Worker.Training;

namespace Portal.Web.Tests.Experiments;

/// <summary>The relay on SQLite.</summary>
public sealed class RunFeedRelayTests(PortalAppFactory factory) : RunFeedRelayTestsBase(factory), IClassFixture<PortalAppFactory>;

/// <summary>The relay on a private PostgreSQL server, the provider of several web nodes and workers.</summary>
public sealed class PostgresRunFeedRelayTests(PostgresAppFactory factory) : RunFeedRelayTestsBase(factory), IClassFixture<PostgresAppFactory>;

/// <summary>
/// A run trained by a worker in another process: this web process has no worker (it is off in these factories), the
/// test writes to the database what a remote worker writes (claim, curve points, progress, log, end), and a hub
/// subscriber of this process receives all of it, live, through the relay.
/// </summary>
public abstract class RunFeedRelayTestsBase(PortalAppFactory factory)
{
    private static readonly TimeSpan Relay = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task RemoteWorkersPointsProgressLogAndEndReachHubSubscribersInOrder()
    {
        var (runId, subscriber, leases) = await SubscribedToNewRunAsync(DemoAccounts.Manager);
        await using var subscription = subscriber;
        Assert.Equal(runId, await leases.TryClaimAsync("remote-worker", TimeSpan.FromMinutes(5), CancellationToken.None));

        // A pass reads the run row before its points, so a progress may first arrive on the pass after its points;
        // each write waits until its progress is relayed, as a remote worker's reports are seconds apart.
        await WriteAsync(runId, run => run.Report(0.4, "training"), Points(0, 3), null);
        await subscriber.WaitForAsync(u => Received(u).Count == 3 && u.Any(x => x.Progress == 0.4), Relay, "the first three points and progress 0.4");
        await WriteAsync(runId, run => run.Report(0.8, "training"), Points(3, 2), "remote-worker: 5 of 6 steps");
        await subscriber.WaitForAsync(u => Received(u).Count == 5 && u.Any(x => x.Progress == 0.8), Relay, "the next two points and progress 0.8");
        await WriteAsync(runId, run => run.Succeed(DateTimeOffset.UtcNow, null, null, "5.0.0", "areaUnderRocCurve", 0.9), Points(5, 1), "Finished");
        var end = await subscriber.WaitForStatusAsync(Relay, "Succeeded", "Failed", "Cancelled");

        var updates = subscriber.Updates;
        Assert.Equal("Queued", subscriber.Snapshot!.Status);
        Assert.Empty(subscriber.Snapshot.Points);
        Assert.Contains(updates, u => u.Status == "Running" && u.Progress == 0.4);
        Assert.Contains(updates, u => u.Status == "Running" && u.Progress == 0.8);
        Assert.Single(updates, u => u.Status == "Running" && u.LogLine == "remote-worker: 5 of 6 steps");
        Assert.Equal("Succeeded", end.Status);
        // The end comes after every point, so a page reloading on it reads a complete run.
        var endAt = updates.ToList().IndexOf(end);
        Assert.Equal(6, Received(updates.Take(endAt)).Count);
        Assert.Equal(Points(0, 6).Select(p => (p.Step, p.Value)), subscriber.MergedCurves()["validation.logLoss"]);
    }

    [Fact]
    public async Task RetryOnAnotherWorkerStartsTheRelayedCurveAfresh()
    {
        var (runId, subscriber, leases) = await SubscribedToNewRunAsync(DemoAccounts.Dpo);
        await using var subscription = subscriber;
        await leases.TryClaimAsync("first-worker", TimeSpan.FromMinutes(5), CancellationToken.None);
        await WriteAsync(runId, run => run.Report(0.5, "training"), Points(0, 4), null);
        await subscriber.WaitForAsync(u => Received(u).Count == 4, Relay, "the first attempt's points");

        // The first worker vanishes; its run goes back to the queue and a second worker clears the curve and starts again.
        await WriteAsync(runId, run => run.Requeue(), [], null);
        await leases.TryClaimAsync("second-worker", TimeSpan.FromMinutes(5), CancellationToken.None);
        await using (var db = await DbAsync())
        {
            await db.RunMetrics.Where(m => m.RunId == runId).ExecuteDeleteAsync();
        }

        var retried = Points(0, 2).Select(p => p with { Value = p.Value + 1 }).ToList();
        await WriteAsync(runId, run => run.Report(0.3, "training"), retried, null);

        await subscriber.WaitForAsync(u => u.Any(x => x.Points.Any(p => p.Value == retried[1].Value)), Relay, "the second attempt's points");
        var merged = subscriber.MergedCurves()["validation.logLoss"];
        Assert.Equal(retried[0].Value, merged[0].Value);
        Assert.Equal(retried[1].Value, merged[1].Value);
    }

    private static List<(long Step, double Value)> Received(IEnumerable<Portal.Web.Features.Runs.RunUpdateMessage> updates) =>
        [.. updates.SelectMany(u => u.Points).Where(p => p.Key == "validation.logLoss").Select(p => (p.Step, p.Value))];

    private static List<MetricPoint> Points(long from, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new MetricPoint("validation.logLoss", 1.0 / (from + i + 1), from + i))];

    private async Task WriteAsync(Guid runId, Action<Run> change, IReadOnlyList<MetricPoint> points, string? log)
    {
        await using var db = await DbAsync();
        var run = await db.Runs.FirstAsync(r => r.Id == runId);
        change(run);
        db.RunMetrics.AddRange(points.Select(p => new RunMetric { RunId = runId, Key = p.Key, Value = p.Value, Step = p.Step, TimestampUtc = DateTime.UtcNow }));
        if (log is not null)
        {
            db.RunLogLines.Add(new RunLogLine { RunId = runId, TimestampUtc = DateTime.UtcNow, Message = log });
        }

        await db.SaveChangesAsync();
    }

    private Task<PortalDbContext> DbAsync() => factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    /// <summary>A queued run, this process's hub subscriber of it, and the claims a remote worker makes.</summary>
    private async Task<(Guid RunId, RunsHubSubscriber Subscriber, RunLeases Leases)> SubscribedToNewRunAsync(string reader)
    {
        var token = await TokenFactory.CreateAsync(factory.Services, DemoAccounts.Scientist, ApiScopes.Read, ApiScopes.Write);
        var client = TokenFactory.ClientWith(factory, token.Token);
        var runId = await client.SubmitLoanRunAsync(await client.UploadLoansAsync("loans-relay", rows: 300, seed: 8), "relay", "FastTree");
        var readToken = await TokenFactory.CreateAsync(factory.Services, reader, ApiScopes.Read);
        var subscriber = await RunsHubSubscriber.ConnectAsync(factory, readToken.Token);
        await subscriber.SubscribeAsync(runId);
        return (runId, subscriber, ActivatorUtilities.CreateInstance<RunLeases>(factory.Services));
    }
}
