using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Application.Registry;
using Portal.Data.Audit;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Audit;
using Portal.Domain.Live;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Ml.Catalog;
using Portal.Worker.Promotions;
using Portal.Worker.Tests.Infrastructure;

namespace Portal.Worker.Tests.Promotions;

/// <summary>
/// The worker's evaluation of a promotion request over real trained models: the gates decided, the whole evidence frozen
/// and hashed, the hash on the request and in the audit chain; then, with a champion, both models scored on the same rows.
/// </summary>
public sealed class PromotionEvaluationJobTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>
{
    private const string Model = "loan-default";
    private static readonly AuditActor Owner = AuditActor.User("scientist-2", "Second Scientist");
    private static readonly AuditActor Manager = AuditActor.User("manager", "Manager");
    private static readonly AuditActor Officer = AuditActor.User("dpo", "Officer");

    private readonly TestWorker _worker = new(database, TimeProvider.System);

    [Fact]
    public async Task TheWorkerFreezesHashedEvidenceAndScoresChallengerAndChampionOnTheSameRows()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new RegistryOptions { MinimumAuc = 0.5, PermutationCount = 2, BootstrapResamples = 200 });
        var audit = new AuditTrail(database.Factory, TimeProvider.System);
        var registry = new ModelRegistry(database.Factory, _worker.Store, audit, TimeProvider.System);
        var workflow = new PromotionWorkflow(database.Factory, audit, options, TimeProvider.System);
        var leases = new PromotionEvaluationLeases(database.Factory, TimeProvider.System);
        var runner = new PromotionEvaluationJobRunner(database.Factory, _worker.Store, leases, workflow, options, NullLogger<PromotionEvaluationJobRunner>.Instance);
        var championRun = await TrainedAsync(_worker.NewRun());
        var challengerRun = await TrainedAsync(_worker.NewRun().Training(TrainerCatalog.LightGbm, new() { ["numberOfIterations"] = 40 }));
        Assert.True((await registry.CreateAsync(new CreateModel(Model, "Who defaults within a year."), Owner, [Roles.DataScientist], default)).Succeeded);
        Assert.Equal(1, (await registry.RegisterVersionAsync(Model, championRun, Owner, default)).Value!.Number);
        Assert.Equal(2, (await registry.RegisterVersionAsync(Model, challengerRun, Owner, default)).Value!.Number);

        // The first version: no champion, so the absolute thresholds decide; the unclassified loan columns wait for the DPO.
        var first = (await workflow.RequestAsync(new RequestPromotion(Model, 1, ModelStage.Production, "The first model."), Owner, [Roles.DataScientist], default)).Value!;
        await EvaluateAsync(leases, runner, first.Id);

        var evaluated = await RequestAsync(first.Id);
        Assert.Equal(PromotionStatus.Pending, evaluated.Status);
        Assert.Equal(6, evaluated.Gates.Count);
        Assert.Equal(GateVerdict.Waiting, evaluated.Gates.Single(g => g.Gate == PromotionGate.DataProtection).Verdict);
        Assert.Equal(GateVerdict.Passed, evaluated.Gates.Single(g => g.Gate == PromotionGate.Schema).Verdict);
        Assert.True(evaluated.SignOffRequired);
        var frozen = await EvidenceAsync(first.Id, evaluated.EvidenceSha256!);
        Assert.Equal(evaluated.EvidenceSha256, AuditCanonicalForm.Hash(frozen));
        Assert.Equal(JsonValueKind.Null, Json(frozen).GetProperty("champion").ValueKind);
        Assert.False(Json(frozen).GetProperty("evaluationRows").GetProperty("independent").GetBoolean());
        Assert.Contains(await AuditDetailsAsync(AuditActions.PromotionEvaluated, first.Id), d => d.Contains(evaluated.EvidenceSha256!, StringComparison.Ordinal));
        Assert.Contains(await TopicsAsync(), t => t == LiveTopics.Promotion(first.Id));
        await using (var db = await database.Factory.CreateDbContextAsync())
        {
            Assert.False(await db.PromotionEvaluationJobs.AnyAsync(j => j.RequestId == first.Id), "the job is done");
        }

        Assert.True((await workflow.SignOffAsync(first.Id, true, "Loan data is lawful for credit scoring.", evaluated.EvidenceSha256, Officer,
            [Roles.DataProtectionOfficer], default)).Succeeded);
        var approved = await workflow.ApproveAsync(first.Id, "", evaluated.EvidenceSha256, Manager, [Roles.BusinessManager], default);
        Assert.Equal(1, approved.Value!.ChampionVersion);

        // The challenger against that champion: both scored on the challenger's validation rows, compared pairwise.
        var second = (await workflow.RequestAsync(new RequestPromotion(Model, 2, ModelStage.Production, "LightGbm learns the interactions."), Owner,
            [Roles.DataScientist], default)).Value!;
        await EvaluateAsync(leases, runner, second.Id);

        var compared = await RequestAsync(second.Id);
        Assert.NotNull(compared.EvidenceSha256);
        var evidence = Json(await EvidenceAsync(second.Id, compared.EvidenceSha256!));
        Assert.Equal(1, evidence.GetProperty("champion").GetProperty("version").GetInt32());
        var quality = evidence.GetProperty("evaluation").GetProperty("quality");
        Assert.True(quality.GetProperty("hasChampion").GetBoolean());
        Assert.Equal(evidence.GetProperty("evaluation").GetProperty("rows").GetProperty("rows").GetInt32(),
            quality.GetProperty("accuracy").GetProperty("outcomes").GetProperty("rows").GetInt32());
        Assert.Equal(GateVerdict.Passed, compared.Gates.Single(g => g.Gate == PromotionGate.Schema).Verdict);
        Assert.False(string.IsNullOrWhiteSpace(compared.Gates.Single(g => g.Gate == PromotionGate.Quality).Reason));
        Assert.NotEmpty(evidence.GetProperty("evaluation").GetProperty("featureImportance").GetProperty("columns").EnumerateArray());
    }

    [Fact]
    public async Task AnEvaluationTakenOverMeanwhileIsDiscardedNotFrozen()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new RegistryOptions { MinimumAuc = 0.5, PermutationCount = 2, BootstrapResamples = 200 });
        var audit = new AuditTrail(database.Factory, TimeProvider.System);
        var registry = new ModelRegistry(database.Factory, _worker.Store, audit, TimeProvider.System);
        var workflow = new PromotionWorkflow(database.Factory, audit, options, TimeProvider.System);
        var leases = new PromotionEvaluationLeases(database.Factory, TimeProvider.System);
        var runner = new PromotionEvaluationJobRunner(database.Factory, _worker.Store, leases, workflow, options, NullLogger<PromotionEvaluationJobRunner>.Instance);
        const string model = "taken-over";
        Assert.True((await registry.CreateAsync(new CreateModel(model, ""), Owner, [Roles.DataScientist], default)).Succeeded);
        Assert.True((await registry.RegisterVersionAsync(model, await TrainedAsync(_worker.NewRun()), Owner, default)).Succeeded);
        var request = (await workflow.RequestAsync(new RequestPromotion(model, 1, ModelStage.Staging, "Try it."), Owner, [Roles.DataScientist], default)).Value!;
        Assert.Equal(request.Id, await leases.TryClaimAsync("slow-worker", TestWorker.Lease, default));
        await using (var db = await database.OtherProcess.CreateDbContextAsync())
        {
            // Another worker took the job over (the slow one's lease lapsed) while the slow one was still scoring.
            var job = await db.PromotionEvaluationJobs.SingleAsync(j => j.RequestId == request.Id);
            db.Entry(job).Property(j => j.LeaseOwner).CurrentValue = "other-worker";
            await db.SaveChangesAsync();
        }

        await runner.RunAsync(request.Id, "slow-worker", TestWorker.Lease, default);

        var after = await RequestAsync(request.Id);
        Assert.Equal(PromotionStatus.Evaluating, after.Status);
        Assert.Null(after.EvidenceSha256);
        await using var check = await database.OtherProcess.CreateDbContextAsync();
        Assert.False(await check.PromotionEvidence.AnyAsync(e => e.RequestId == request.Id));
        Assert.Equal("other-worker", await check.PromotionEvaluationJobs.Where(j => j.RequestId == request.Id).Select(j => j.LeaseOwner).SingleAsync());
    }

    private async Task<RunId> TrainedAsync(RunBuilder builder)
    {
        var runId = await builder.WithRows(1200).QueuedAsync();
        Assert.Equal(runId, await _worker.Leases().TryClaimAsync("trainer", TestWorker.Lease, default));
        await _worker.Job().RunAsync(runId, "trainer", default);
        Assert.Equal(RunStatus.Succeeded, (await _worker.RunAsync(runId)).Status);
        return runId;
    }

    private static async Task EvaluateAsync(PromotionEvaluationLeases leases, PromotionEvaluationJobRunner runner, PromotionRequestId requestId)
    {
        Assert.Equal(requestId, await leases.TryClaimAsync("evaluator", TestWorker.Lease, default));
        await runner.RunAsync(requestId, "evaluator", TestWorker.Lease, default);
    }

    private async Task<PromotionRequest> RequestAsync(PromotionRequestId id)
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        return await db.PromotionRequests.AsNoTracking().FirstAsync(r => r.Id == id);
    }

    private async Task<string> EvidenceAsync(PromotionRequestId id, string sha)
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        return await db.PromotionEvidence.Where(e => e.RequestId == id && e.EvidenceSha256 == sha).Select(e => e.Json).SingleAsync();
    }

    private async Task<List<string>> AuditDetailsAsync(AuditAction action, PromotionRequestId id)
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        var subject = id.ToString();
        return await db.AuditEntries.Where(e => e.Action == action.Name && e.SubjectId == subject).Select(e => e.DetailsJson).ToListAsync();
    }

    private async Task<List<string>> TopicsAsync()
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        return await db.LiveEvents.Select(e => e.Topic).Distinct().ToListAsync();
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;
}
