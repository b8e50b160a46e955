using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Runs;
using Portal.Worker.Tests.Infrastructure;

namespace Portal.Worker.Tests.Training;

/// <summary>The training observer's flush: points, log, progress and the live event in one transaction; the lease checked and renewed.</summary>
public sealed class DatabaseTrainingObserverTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>
{
    private static readonly MetricPoint[] Points =
        [new("train.logLoss", 0.61, 1), new("validation.logLoss", 0.66, 1), new("validation.logLoss", 0.58, 2)];

    private readonly TestWorker _worker = new(database);

    [Fact]
    public async Task AFlushWritesItsPointsLogAndProgressWithOneEventAndRenewsTheLease()
    {
        var runId = await _worker.ClaimedRunAsync("worker-a");
        using var training = new CancellationTokenSource();
        await using var observer = _worker.Observer(runId, "worker-a", training);
        _worker.FakeTime.Advance(TimeSpan.FromSeconds(20));

        await ReportAsync(observer);
        await observer.FlushAsync(CancellationToken.None);

        Assert.Equal(Points, (await _worker.MetricsAsync(runId)).Select(m => new MetricPoint(m.Key, m.Value, m.Step)));
        Assert.Contains("fold 1 of 2", await _worker.LogAsync(runId));
        var run = await _worker.RunAsync(runId);
        Assert.Equal(0.5, run.Progress);
        Assert.Equal(_worker.Time.GetUtcNow().UtcDateTime + TestWorker.Lease, run.LeaseExpiresUtc);
        var (_, change) = (await _worker.EventsAsync(runId))[^1];
        Assert.Equal(Points, change.Points);
        Assert.Equal(["fold 1 of 2"], change.LogLines.Select(l => l.Message));
        Assert.Equal((0.5, "training"), (change.Progress, change.Stage));
        Assert.False(training.IsCancellationRequested);
    }

    [Fact]
    public async Task AFlushWhoseCommitFailsLeavesNeitherItsPointsNorItsEvent()
    {
        var runId = await _worker.ClaimedRunAsync("worker-a");
        var eventsBefore = (await _worker.EventsAsync(runId)).Count;
        var leaseBefore = (await _worker.RunAsync(runId)).LeaseExpiresUtc;
        using var training = new CancellationTokenSource();
        await using var observer = _worker.Observer(runId, "worker-a", training, new FailingCommit());
        _worker.FakeTime.Advance(TimeSpan.FromSeconds(20));

        // An observer's first report is flushed at once.
        await Assert.ThrowsAsync<InvalidOperationException>(() => observer.MetricsAsync(Points, CancellationToken.None).AsTask());

        Assert.Empty(await _worker.MetricsAsync(runId));
        Assert.Equal(leaseBefore, (await _worker.RunAsync(runId)).LeaseExpiresUtc);
        Assert.Equal(eventsBefore, (await _worker.EventsAsync(runId)).Count);
    }

    [Fact]
    public async Task AFlushAfterAnotherWorkerTookTheRunCancelsTheTrainingAndWritesNothing()
    {
        var runId = await _worker.ClaimedRunAsync("worker-a");
        await _worker.ChangeAsync(runId, run =>
        {
            run.Requeue();
            run.Claimed("worker-b", _worker.Time.GetUtcNow(), TestWorker.Lease);
        });
        var eventsBefore = (await _worker.EventsAsync(runId)).Count;
        using var training = new CancellationTokenSource();
        await using var observer = _worker.Observer(runId, "worker-a", training);

        await ReportAsync(observer);
        await observer.FlushAsync(CancellationToken.None);

        Assert.True(observer.LeaseLost);
        Assert.True(training.IsCancellationRequested);
        Assert.Empty(await _worker.MetricsAsync(runId));
        Assert.Equal(eventsBefore, (await _worker.EventsAsync(runId)).Count);
        Assert.Equal("worker-b", (await _worker.RunAsync(runId)).LeaseOwner);
    }

    [Fact]
    public async Task AFlushOfARunToBeCancelledCancelsTheTrainingAndKeepsWhatItWrote()
    {
        var runId = await _worker.ClaimedRunAsync("worker-a");
        await _worker.ChangeAsync(runId, run => run.RequestCancel(_worker.Time.GetUtcNow()));
        using var training = new CancellationTokenSource();
        await using var observer = _worker.Observer(runId, "worker-a", training);

        await ReportAsync(observer);
        await observer.FlushAsync(CancellationToken.None);

        Assert.True(observer.CancelRequested);
        Assert.False(observer.LeaseLost);
        Assert.True(training.IsCancellationRequested);
        Assert.Equal(Points.Length, (await _worker.MetricsAsync(runId)).Count);
    }

    [Fact]
    public async Task ClearingTheCurveReplacesTheLivePointsWithTheReplayInOneFlushThatSaysSo()
    {
        var runId = await _worker.ClaimedRunAsync("worker-a");
        using var training = new CancellationTokenSource();
        await using var observer = _worker.Observer(runId, "worker-a", training);
        MetricPoint[] replay = [new("train.logLoss", 1.0, 0), new("validation.logLoss", 1.0, 0), new("train.logLoss", 0.6, 1), new("validation.logLoss", 0.65, 1),
            new("train.logLoss", 0.5, 2), new("validation.logLoss", 0.57, 2)];

        // Live points: some written, some still buffered when the fit ends.
        await ReportAsync(observer);
        await observer.FlushAsync(CancellationToken.None);
        await observer.MetricsAsync([new("train.logLoss", 0.49, 3), new("validation.logLoss", 0.56, 3)], CancellationToken.None);
        var eventsBefore = (await _worker.EventsAsync(runId)).Count;

        await observer.ClearCurveAsync(CancellationToken.None);
        await observer.MetricsAsync(replay, CancellationToken.None);
        await observer.FlushAsync(CancellationToken.None);

        // Stored: the replay, each step of each key once; the live points are gone, the buffered ones never written.
        Assert.Equal(replay, (await _worker.MetricsAsync(runId)).Select(m => new MetricPoint(m.Key, m.Value, m.Step)));
        var events = await _worker.EventsAsync(runId);
        var (_, cleared) = Assert.Single(events.Skip(eventsBefore));
        Assert.True(cleared.CurvesCleared, "pages must reload the curve");
        Assert.Equal(replay, cleared.Points);
        Assert.DoesNotContain(events.Take(eventsBefore), e => e.Change.CurvesCleared);

        // Later flushes add to the new curve.
        await observer.MetricsAsync([new("train.logLoss", 0.45, 3)], CancellationToken.None);
        await observer.FlushAsync(CancellationToken.None);
        Assert.False((await _worker.EventsAsync(runId))[^1].Change.CurvesCleared);
        Assert.Equal(replay.Length + 1, (await _worker.MetricsAsync(runId)).Count);
    }

    [Fact]
    public async Task AClearingFlushWhoseCommitFailsKeepsTheLivePoints()
    {
        var runId = await _worker.ClaimedRunAsync("worker-a");
        using var training = new CancellationTokenSource();
        await using (var live = _worker.Observer(runId, "worker-a", training))
        {
            await ReportAsync(live);
            await live.FlushAsync(CancellationToken.None);
        }

        await using var observer = _worker.Observer(runId, "worker-a", training, new FailingCommit());
        await observer.ClearCurveAsync(CancellationToken.None).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
        await Assert.ThrowsAsync<InvalidOperationException>(() => observer.FlushAsync(CancellationToken.None));

        Assert.Equal(Points, (await _worker.MetricsAsync(runId)).Select(m => new MetricPoint(m.Key, m.Value, m.Step)));
    }

    /// <summary>What training reports between two flushes (the first report of an observer flushes at once).</summary>
    private static async ValueTask ReportAsync(Portal.Worker.Training.DatabaseTrainingObserver observer)
    {
        await observer.ProgressAsync(0.5, "training", CancellationToken.None);
        await observer.MetricsAsync(Points, CancellationToken.None);
        await observer.LogAsync("fold 1 of 2", CancellationToken.None);
    }
}
