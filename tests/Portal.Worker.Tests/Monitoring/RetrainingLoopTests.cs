using Microsoft.EntityFrameworkCore;
using Portal.Application.Monitoring;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Audit;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Runs;

namespace Portal.Worker.Tests.Monitoring;

/// <summary>
/// The retraining loop on a real SQLite file (one per test: the training queue is shared by everything on it) with real ML.NET
/// training: from an open alert to a promotion request that names it.
/// </summary>
public sealed class RetrainingLoopTests : IAsyncLifetime
{
    private static readonly RetrainingPolicy Policy = new(OnDrift: true, OnAccuracyDrop: true, ScheduleHours: null, MinimumRows: 200, MinimumHoursBetween: 0);

    private readonly SqliteTestDatabase database = new();
    private readonly RetrainingScenario scenario;

    public RetrainingLoopTests() => scenario = new(database);

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task AnOpenDriftAlertRetrainsTheChampionsRecipeOnTheLoggedRowsAndRequestsPromotionNamingTheAlert()
    {
        var (model, champion, championRun) = await scenario.ModelWithChampionAsync("credit-drift", Policy);
        var windowStart = scenario.Now.AddMinutes(1);
        await scenario.TrafficAsync(model, 50, windowStart.AddMinutes(-5), drifted: false); // before the alert's window: not trained on
        await scenario.TrafficAsync(model, 250, windowStart.AddSeconds(10));
        var alert = await scenario.AlertAsync(model, AlertRule.Drift, "income", "PSI 0.41 ≥ 0.20 on income over 250 rows", windowStart);

        await scenario.Loop.StartDueAsync(scenario.Settings, CancellationToken.None);
        var started = Assert.Single(await scenario.RetrainingsAsync(model.Id));
        Assert.Equal(RetrainingState.Preparing, started.State);
        Assert.Equal(RetrainingState.Training, await scenario.Loop.AdvanceAsync(started.Id, scenario.Settings, CancellationToken.None));

        // The data: a new version of the champion's dataset, the signature's columns and the label, one row per labelled prediction since the window began.
        var training = Assert.Single(await scenario.RetrainingsAsync(model.Id));
        await using (var db = await scenario.Db.CreateDbContextAsync())
        {
            var version = await db.DatasetVersions.AsNoTracking().Include(v => v.Columns).FirstAsync(v => v.Id == training.DatasetVersionId);
            var trainedOn = await db.DatasetVersions.AsNoTracking().FirstAsync(v => v.Id == champion.DatasetVersionIds[0]);
            Assert.Equal(trainedOn.DatasetId, version.DatasetId);
            Assert.Equal(2, version.Version);
            Assert.Equal(250, version.RowCount);
            Assert.Equal(["age", "income", "city", RetrainingScenario.Label], version.Columns.OrderBy(c => c.Ordinal).Select(c => c.Name));
            Assert.NotEqual("[]", version.ProfileJson);
            Assert.Equal(RetrainingLoop.Actor.Id, version.UploadedBy);
        }

        // The run: the champion's recipe, submitted by the loop's actor.
        var recipe = await scenario.Worker.RunAsync(championRun);
        var run = await scenario.Worker.RunAsync(training.RunId!.Value);
        Assert.Equal((recipe.Trainer, recipe.LabelColumn, recipe.Task, recipe.ValidationFraction, recipe.Seed, recipe.ExperimentId),
            (run.Trainer, run.LabelColumn, run.Task, run.ValidationFraction, run.Seed, run.ExperimentId));
        Assert.Equal(recipe.Hyperparameters, run.Hyperparameters);
        Assert.Equal(training.DatasetVersionId, run.DatasetVersionId);
        Assert.Equal(RetrainingLoop.Actor.Id, run.SubmittedBy);

        await scenario.TrainAsync(run.Id);
        Assert.Equal(RetrainingState.Requested, await scenario.Loop.AdvanceAsync(started.Id, scenario.Settings, CancellationToken.None));

        var done = Assert.Single(await scenario.RetrainingsAsync(model.Id));
        await using (var db = await scenario.Db.CreateDbContextAsync())
        {
            var request = await db.PromotionRequests.AsNoTracking().FirstAsync(r => r.Id == done.RequestId);
            Assert.Equal(2, request.VersionNumber);
            Assert.Equal(ModelStage.Production, request.TargetStage);
            Assert.Equal(RetrainingLoop.Actor.Id, request.RequestedBy);
            Assert.Contains("Retrained after drift alert on income (PSI 0.41 ≥ 0.20 on income over 250 rows)", request.Justification);
            Assert.Contains("250 labelled rows of the prediction log", request.Justification);
            Assert.Contains(alert.Id.ToString(), request.Justification);
            Assert.Equal(PromotionStatus.Evaluating, request.Status);
            Assert.True(await db.PromotionEvaluationJobs.AnyAsync(j => j.RequestId == request.Id), "the automated gates are queued");
        }

        Assert.Equal(alert.Id, done.AlertId);
        Assert.Contains(AuditActions.RetrainingStarted.Name, await scenario.AuditActionsAsync(model.Id));
    }

    [Fact]
    public async Task TooFewLabelledRowsStartNoRunAndRecordWhyItWaits()
    {
        var (model, _, _) = await scenario.ModelWithChampionAsync("credit-few", Policy);
        var windowStart = scenario.Now.AddMinutes(1);
        await scenario.TrafficAsync(model, 60, windowStart.AddSeconds(5));
        await scenario.AlertAsync(model, AlertRule.AccuracyDrop, "", "accuracy 0.61 is 0.25 below validation 0.86 over 60 labels", windowStart);

        await scenario.Loop.StartDueAsync(scenario.Settings, CancellationToken.None);
        await scenario.Loop.StartDueAsync(scenario.Settings, CancellationToken.None);

        var waiting = Assert.Single(await scenario.RetrainingsAsync(model.Id));
        Assert.Equal(RetrainingState.Waiting, waiting.State);
        Assert.Contains("60 of the 200 needed", waiting.Reason);
        Assert.Single(await scenario.RunsOfAsync("credit-few-data")); // the champion's own run only
        Assert.DoesNotContain(AuditActions.RetrainingStarted.Name, await scenario.AuditActionsAsync(model.Id));
    }

    [Fact]
    public async Task ASecondAlertWhileARetrainingRunsStartsNoSecondRun()
    {
        var (model, _, _) = await scenario.ModelWithChampionAsync("credit-busy", Policy);
        var windowStart = scenario.Now.AddMinutes(1);
        await scenario.TrafficAsync(model, 220, windowStart.AddSeconds(5));
        await scenario.AlertAsync(model, AlertRule.Drift, "income", "PSI 0.33 ≥ 0.20 on income over 220 rows", windowStart);
        await scenario.Loop.StartDueAsync(scenario.Settings, CancellationToken.None);
        var first = Assert.Single(await scenario.RetrainingsAsync(model.Id));
        Assert.Equal(RetrainingState.Training, await scenario.Loop.AdvanceAsync(first.Id, scenario.Settings, CancellationToken.None));

        scenario.Worker.FakeTime.Advance(TimeSpan.FromMinutes(2));
        await scenario.AlertAsync(model, AlertRule.Drift, "age", "p = 0.001 < 0.05 on age over 220 rows", windowStart);
        await scenario.Loop.StartDueAsync(scenario.Settings, CancellationToken.None);

        var only = Assert.Single(await scenario.RetrainingsAsync(model.Id));
        Assert.Equal(first.Id, only.Id);
        Assert.Equal(2, (await scenario.RunsOfAsync("credit-busy-data")).Count); // the champion's and the one retraining's
    }
}
