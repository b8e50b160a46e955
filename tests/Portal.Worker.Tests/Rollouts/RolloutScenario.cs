using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Application.Rollouts;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Security;
using Portal.Domain.Serving;
using Portal.Worker.Tests.Infrastructure;

namespace Portal.Worker.Tests.Rollouts;

/// <summary>
/// A model with a champion (version 1) and a running rollout of version 2, written as the approval would write it, and
/// labelled traffic in the prediction log as the predict and feedback endpoints would write it.
/// </summary>
public sealed class RolloutScenario(IDbContextFactory<PortalDbContext> dbFactory, TestWorker worker)
{
    public static readonly RolloutPolicy Policy = new([10, 50, 100], 50, TimeSpan.Zero, TimeSpan.FromHours(1), 0.05, 0.02, 0.95);

    /// <summary>Starts a rollout at <paramref name="startedAt"/>; returns it.</summary>
    public async Task<Rollout> StartedAsync(DateTimeOffset startedAt, RolloutPolicy? policy = null)
    {
        var championRun = await worker.NewRun().QueuedAsync();
        var canaryRun = await worker.NewRun().QueuedAsync();
        await using var db = await dbFactory.CreateDbContextAsync();
        var model = RegisteredModel.Create($"churn-{Guid.NewGuid():N}"[..20], "rollout tests", "scientist", [Roles.DataScientist], RiskTier.Low, startedAt);
        // Registered a minute apart, as in life (version ids are time-ordered).
        var champion = model.RegisterVersion(Registration(championRun), "scientist", startedAt.AddMinutes(-2));
        Assert.True(model.Apply(Transition(model, champion, startedAt), startedAt.AddMinutes(-2)).Succeeded);
        var canary = model.RegisterVersion(Registration(canaryRun), "scientist", startedAt.AddMinutes(-1));
        Assert.True(model.SetRolloutPolicy(policy ?? Policy, [Roles.BusinessManager]).Succeeded);
        var rollout = Rollout.Start(model, Transition(model, canary, startedAt), model.RolloutPolicy!, startedAt);
        db.RegisteredModels.Add(model);
        db.Rollouts.Add(rollout);
        await db.SaveChangesAsync();
        return rollout;
    }

    /// <summary>One predict request on <paramref name="arm"/> of <paramref name="rows"/> rows at <paramref name="at"/>, and ground truth for each row: <paramref name="correct"/> right.</summary>
    public async Task TrafficAsync(RolloutId rolloutId, ServingArm arm, int rows, int correct, DateTimeOffset at, int errors = 0, bool regression = false,
        double absoluteError = 0)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var rollout = await db.Rollouts.AsNoTracking().FirstAsync(r => r.Id == rolloutId);
        var version = arm == ServingArm.Canary ? (rollout.CanaryVersionId, rollout.CanaryVersionNumber) : (rollout.BaselineVersionId, rollout.BaselineVersionNumber);
        var batch = PredictionBatch.Record(PredictionBatchId.New(at), rollout.ModelId, version.Item1, version.Item2, rollout.Id, arm, at, rows, errors, 100, "[]", "[]");
        db.PredictionBatches.Add(batch);
        for (var i = 0; i < rows; i++)
        {
            db.PredictionFeedback.Add(regression
                ? PredictionFeedback.Record(PredictionId.For(batch.Id, i), batch, "1.0", null, absoluteError + (i % 2 == 0 ? 0.1 : -0.1), at.AddMinutes(1))
                : PredictionFeedback.Record(PredictionId.For(batch.Id, i), batch, "yes", i < correct, null, at.AddMinutes(1)));
        }

        await db.SaveChangesAsync();
    }

    /// <summary>Equal traffic on both arms: 90 % right each.</summary>
    public async Task GoodTrafficAsync(RolloutId rolloutId, DateTimeOffset at, int rows = 400)
    {
        await TrafficAsync(rolloutId, ServingArm.Champion, rows, rows * 9 / 10, at);
        await TrafficAsync(rolloutId, ServingArm.Canary, rows, rows * 9 / 10, at);
    }

    public async Task<Rollout> RolloutAsync(RolloutId id)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Rollouts.AsNoTracking().FirstAsync(r => r.Id == id);
    }

    public async Task<RegisteredModel> ModelAsync(RegisteredModelId id)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.RegisteredModels.AsNoTracking().Include(m => m.Versions).FirstAsync(m => m.Id == id);
    }

    /// <summary>The audit actions recorded about the rollout, oldest first, with their actor.</summary>
    public async Task<List<(string Action, string Actor)>> AuditAsync(RolloutId id)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var subject = AuditSubject.Rollout(id);
        return (await db.AuditEntries.AsNoTracking().Where(a => a.SubjectType == subject.Type && a.SubjectId == subject.Id).OrderBy(a => a.Sequence)
            .Select(a => new { a.Action, a.ActorId }).ToListAsync()).Select(a => (a.Action, a.ActorId)).ToList();
    }

    public RolloutDriver Driver(TimeProvider time, IDbContextFactory<PortalDbContext>? factory = null) =>
        new(factory ?? dbFactory, new AuditTrail(factory ?? dbFactory, time), time, NullLogger<RolloutDriver>.Instance);

    private static VersionRegistration Registration(Portal.Domain.Runs.RunId runId) =>
        new(runId, "scientist", [], [new("Age", "Single")], new Dictionary<string, double> { ["accuracy"] = 0.9 }, new string('c', 64));

    private static PromotionTransition Transition(RegisteredModel model, ModelVersion version, DateTimeOffset now) =>
        new(PromotionRequestId.New(now), model.Id, version.Id, ModelStage.Production, ["manager"], "approved", new string('a', 64), false);
}
