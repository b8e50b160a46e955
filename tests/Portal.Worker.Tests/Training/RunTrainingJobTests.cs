using Microsoft.EntityFrameworkCore;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Runs;
using Portal.Worker.Tests.Infrastructure;

namespace Portal.Worker.Tests.Training;

/// <summary>A real (small) training by the job, its curve told live through the outbox as it is written.</summary>
public sealed class RunTrainingJobTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>
{
    private readonly TestWorker _worker = new(database);

    [Fact]
    public async Task ATrainedRunSucceedsAndItsEventsCarryEveryStoredCurvePointInTheOrderWritten()
    {
        var runId = await _worker.ClaimedRunAsync("worker-a");

        await _worker.Job().RunAsync(runId, "worker-a", CancellationToken.None);

        var run = await _worker.RunAsync(runId);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("areaUnderRocCurve", run.PrimaryMetric);
        Assert.NotNull(run.PrimaryMetricValue);
        Assert.True(_worker.Store.Exists(run.ModelSha256!), "the model is stored");
        var events = await _worker.EventsAsync(runId);
        var pointsTold = events.SelectMany(e => e.Change.Points).ToList();
        var curveKeys = pointsTold.Select(p => p.Key).ToHashSet();
        var curveStored = (await _worker.MetricsAsync(runId)).Where(m => curveKeys.Contains(m.Key)).Select(m => new MetricPoint(m.Key, m.Value, m.Step));
        Assert.Contains("validation.logLoss", curveKeys);
        Assert.True(events.Count(e => e.Change.Points.Count > 0) >= 2, "the curve is told over several flushes");
        Assert.Equal(curveStored, pointsTold);
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence), "sequences grow");
        // The end is told last, once, with the run's final status.
        var (_, end) = events[^1];
        Assert.Equal(RunStatus.Succeeded, end.Status);
        Assert.Equal(1.0, end.Progress);
        Assert.Single(events, e => e.Change.Ended);
    }

    [Fact]
    public async Task AFinishedClassificationRunStoresItsConfusionMatrixAndPerClassMetrics()
    {
        var runId = await _worker.ClaimedRunAsync("worker-a");

        await _worker.Job().RunAsync(runId, "worker-a", CancellationToken.None);

        var evaluation = await _worker.EvaluationAsync(runId);
        Assert.NotNull(evaluation);
        var matrix = Assert.IsType<Portal.Ml.Evaluation.ConfusionMatrixData>(evaluation.ConfusionMatrix);
        Assert.Equal(2, matrix.Classes.Count);
        Assert.All(matrix.Counts, row => Assert.Equal(2, row.Count));
        var validationRows = long.Parse((await _worker.RunParamsAsync(runId))["rows.validation"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(validationRows, (long)matrix.Counts.Sum(r => r.Sum()));
        Assert.Equal(matrix.Classes, evaluation.PerClass.Select(c => c.Class));
        Assert.Equal(validationRows, evaluation.PerClass.Sum(c => c.Support));
        Assert.Null(evaluation.Residuals);
    }

    [Fact]
    public async Task ALightGbmRunStoresTheReplayedCurveOnceAfterItsLivePoints()
    {
        var runId = await _worker.NewRun().WithRows(3000)
            .Training(Portal.Ml.Catalog.TrainerCatalog.LightGbm, new() { ["numberOfIterations"] = 150 }).QueuedAsync();
        Assert.Equal(runId, await _worker.Leases().TryClaimAsync("worker-a", TestWorker.Lease, CancellationToken.None));

        await _worker.Job().RunAsync(runId, "worker-a", CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, (await _worker.RunAsync(runId)).Status);
        var events = await _worker.EventsAsync(runId);
        var clear = events.FindIndex(e => e.Change.CurvesCleared);
        Assert.True(clear > 0, "the live points are cleared once the fit ends");
        Assert.Single(events, e => e.Change.CurvesCleared);
        Assert.Contains(events.Take(clear), e => e.Change.Points.Count > 0 && e.Change.Stage!.StartsWith("training: iteration", StringComparison.Ordinal));

        // Stored: every step of the curve once, 0 to 150, and exactly the points told from the clear on.
        var curve = (await _worker.MetricsAsync(runId)).Where(m => m.Key.StartsWith("train.", StringComparison.Ordinal) || m.Key.StartsWith("validation.", StringComparison.Ordinal))
            .Select(m => new MetricPoint(m.Key, m.Value, m.Step)).ToList();
        Assert.Equal(curve.Count, curve.Select(p => (p.Key, p.Step)).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 151).Select(i => (long)i), curve.Where(p => p.Key == "validation.logLoss").Select(p => p.Step).Order());
        Assert.Equal(curve, events.Skip(clear).SelectMany(e => e.Change.Points));
    }

    [Fact]
    public async Task ARunTakenOverByAnotherWorkerMidTrainingKeepsTheNewOwnerAndNoneOfTheFirstWorkersResult()
    {
        var runId = await _worker.ClaimedRunAsync("worker-a");
        // Right after the first flush of curve points, another worker takes the run (worker-a's lease was seen as expired).
        var takeover = new AfterCommit(
            db => db.ChangeTracker.Entries<RunMetric>().Any(),
            () => _worker.ChangeAsync(runId, run =>
            {
                run.Requeue();
                run.Claimed("worker-b", _worker.Time.GetUtcNow(), TestWorker.Lease);
            }, "taken over by worker-b"));

        await _worker.Job(takeover).RunAsync(runId, "worker-a", CancellationToken.None);

        var run = await _worker.RunAsync(runId);
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Equal("worker-b", run.LeaseOwner);
        Assert.Null(run.ModelSha256);
        Assert.Null(run.PrimaryMetric);
        var events = await _worker.EventsAsync(runId);
        // Nothing from worker-a after the takeover: no more points, no end.
        Assert.Equal("taken over by worker-b", Assert.Single(events[^1].Change.LogLines).Message);
        Assert.Equal(events.SelectMany(e => e.Change.Points).Count(), (await _worker.MetricsAsync(runId)).Count);
        Assert.DoesNotContain(events, e => e.Change.Ended);
    }

    [Fact]
    public async Task ARunWhoseLossExplodesIsStoppedEarlyAndFailsWithTheDiagnosticAsItsReason()
    {
        var runId = await _worker.NewRun()
            .Training(Portal.Ml.Catalog.TrainerCatalog.LightGbm, new() { ["learningRate"] = 500, ["numberOfIterations"] = 50 })
            .WithRows(1500)
            .QueuedAsync();
        await _worker.Leases().TryClaimAsync("worker-a", TestWorker.Lease, CancellationToken.None);

        await _worker.Job().RunAsync(runId, "worker-a", CancellationToken.None);

        var run = await _worker.RunAsync(runId);
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.StartsWith("Stopped early (", run.FailureReason);
        var (_, end) = (await _worker.EventsAsync(runId))[^1];
        Assert.Equal(RunStatus.Failed, end.Status);
        Assert.Equal(run.FailureReason, end.FailureReason);
        Assert.Null(await _worker.EvaluationAsync(runId)); // no model, nothing evaluated
    }
}
