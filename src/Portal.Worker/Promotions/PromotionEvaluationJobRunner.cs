using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Application;
using Portal.Application.Registry;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Statistics;
using Portal.Ml.Governance;
using EvaluationEvidence = Portal.Ml.Governance.PromotionEvidence;

namespace Portal.Worker.Promotions;

/// <summary>
/// Evaluates one claimed promotion request: scores challenger and champion on the same rows (the model's hold-out dataset
/// version, or the challenger's validation rows, labelled not independent), decides the five hard gates, freezes the whole
/// evidence as canonical JSON and hands it to <see cref="PromotionWorkflow.CompleteEvaluationAsync"/>, which stores its
/// SHA-256 with the verdicts. Progress is written to the job (and so to the live page) as the stages run.
/// </summary>
public sealed class PromotionEvaluationJobRunner(
    IDbContextFactory<PortalDbContext> dbFactory,
    ContentAddressedStore store,
    PromotionEvaluationLeases leases,
    PromotionWorkflow workflow,
    IOptions<RegistryOptions> options,
    ILogger<PromotionEvaluationJobRunner> logger)
{
    public async Task RunAsync(PromotionRequestId requestId, string workerId, TimeSpan lease, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await EvaluateAsync(requestId, workerId, lease, cancellationToken);
            if (outcome is { Succeeded: false } failed)
            {
                logger.LogWarning("Promotion {RequestId}: evaluation not recorded: {Error}", requestId, failed.Error);
                await leases.FailAsync(requestId, workerId, failed.Error ?? "The evaluation was refused.", cancellationToken);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The job was taken over or re-queued while this worker scored: the other attempt stands, nothing is frozen.
            logger.LogInformation("Promotion {RequestId}: evaluation abandoned, the job is no longer held by {Worker}.", requestId, workerId);
        }
        catch (PromotionEvaluationException ex)
        {
            await leases.FailAsync(requestId, workerId, ex.Message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Promotion {RequestId}: evaluation failed.", requestId);
            await leases.FailAsync(requestId, workerId, $"The evaluation failed: {ex.Message}", cancellationToken);
        }
    }

    private async Task<OperationResult<PromotionDecision>?> EvaluateAsync(PromotionRequestId requestId, string workerId, TimeSpan lease,
        CancellationToken cancellationToken)
    {
        var inputs = await LoadAsync(requestId, cancellationToken);
        if (inputs is null)
        {
            return null; // decided, stale or gone meanwhile: nothing to evaluate
        }

        var settings = options.Value;
        var champion = inputs.Champion;
        var rows = inputs.HoldOut is { } holdOut
            ? new EvaluationRows(store.GetPath(holdOut.Sha256), holdOut.Schema)
            : new EvaluationRows(store.GetPath(inputs.ChallengerData!.Sha256), inputs.ChallengerData.Schema)
            {
                ValidationOf = new RunSplit(inputs.ChallengerRun.ValidationFraction, inputs.ChallengerRun.Seed),
            };
        var request = new PromotionEvaluationRequest(
            ModelSource.FromFile(store.GetPath(inputs.ChallengerVersion.ModelSha256)),
            champion is null ? null : ModelSource.FromFile(store.GetPath(champion.Version.ModelSha256)),
            rows,
            inputs.ChallengerRun.LabelColumn!,
            inputs.ChallengerRun.Task!.Value,
            inputs.SensitiveColumns)
        {
            Options = new PromotionEvaluationOptions
            {
                Margin = settings.QualityMargin,
                Confidence = settings.QualityConfidence,
                Fairness = new FairnessBounds(settings.FairnessMaxTruePositiveRateGap, settings.FairnessMinSelectionRateRatio, settings.FairnessMinGroupRows),
                PermutationCount = settings.PermutationCount,
                PermutationRows = settings.PermutationRows,
                BootstrapResamples = settings.BootstrapResamples,
                AbsoluteThresholds =
                [
                    new(MlTask.Binary, "areaUnderRocCurve", settings.MinimumAuc),
                    new(MlTask.Multiclass, "microAccuracy", settings.MinimumMicroAccuracy),
                    new(MlTask.Regression, "rSquared", settings.MinimumRSquared),
                ],
            },
        };

        var evidence = await new PromotionEvaluator().EvaluateAsync(request, async (fraction, stage, ct) =>
        {
            if (!await leases.ReportAsync(requestId, workerId, fraction, stage, lease, ct))
            {
                throw new OperationCanceledException("The evaluation job was taken over or re-queued.");
            }
        }, cancellationToken);

        var notIndependent = inputs.HoldOut is null;
        var championTrainedOnRows = notIndependent && champion is not null && champion.Version.DatasetVersionIds.Contains(inputs.ChallengerData!.Id);
        var gates = new List<GateResult>
        {
            QualityGate(evidence, notIndependent, championTrainedOnRows),
            SchemaCompatibility.Gate(inputs.ChallengerVersion.InputSignature, champion?.Version.InputSignature),
            RecordedGates.Diagnostics(inputs.Diagnostics),
            FairnessGate(evidence),
            RecordedGates.DataProtection(inputs.TrainingColumns),
        };
        var frozen = new
        {
            requestId = requestId.ToString(),
            model = inputs.ModelName,
            targetStage = inputs.TargetStage.ToString(),
            challenger = Describe(inputs.ChallengerVersion),
            champion = champion is null ? null : Describe(champion.Version),
            evaluationRows = new
            {
                source = notIndependent ? "challenger-validation-rows" : "hold-out",
                independent = !notIndependent,
                championTrainedOnTheseRows = championTrainedOnRows,
                datasetVersionId = (inputs.HoldOut?.Id ?? inputs.ChallengerData!.Id).ToString(),
                datasetSha256 = inputs.HoldOut?.Sha256 ?? inputs.ChallengerData!.Sha256,
            },
            schema = SchemaCompatibility.Compare(inputs.ChallengerVersion.InputSignature, champion?.Version.InputSignature ?? inputs.ChallengerVersion.InputSignature),
            diagnostics = inputs.Diagnostics,
            dataClassification = inputs.TrainingColumns,
            sensitiveColumns = inputs.SensitiveColumns,
            gates,
            evaluation = evidence,
        };
        var json = JsonSerializer.Serialize(frozen, EvaluationEvidence.FrozenSnapshotOptions);
        return await workflow.CompleteEvaluationAsync(requestId, gates, json, champion?.Version.Id, AuditActor.Service($"worker:{workerId}"), cancellationToken,
            leaseOwner: workerId);
    }

    private static object Describe(ModelVersion version) => new
    {
        version = version.Number,
        versionId = version.Id.ToString(),
        runId = version.RunId.ToString(),
        modelSha256 = version.ModelSha256,
        datasetVersionIds = version.DatasetVersionIds.Select(d => d.ToString()),
        inputSignature = version.InputSignature,
    };

    private static GateResult QualityGate(EvaluationEvidence evidence, bool notIndependent, bool championTrainedOnRows)
    {
        var caveat = !notIndependent ? ""
            : championTrainedOnRows ? " Scored on the challenger's validation rows, which are not independent, and the champion trained on them: designate a hold-out dataset for a fair comparison."
            : " Scored on the challenger's validation rows (not independent: designate a hold-out dataset).";
        return new(PromotionGate.Quality, evidence.Quality.Passes ? (championTrainedOnRows ? GateVerdict.Warning : GateVerdict.Passed) : GateVerdict.Failed,
            evidence.Quality.Sentence + caveat);
    }

    private static GateResult FairnessGate(EvaluationEvidence evidence) => evidence.Fairness.Verdict switch
    {
        FairnessVerdict.Breached => new(PromotionGate.Fairness, GateVerdict.Failed, evidence.Fairness.Statement),
        FairnessVerdict.TooFewRowsToJudge => new(PromotionGate.Fairness, GateVerdict.Warning, evidence.Fairness.Statement),
        _ => new(PromotionGate.Fairness, GateVerdict.Passed, evidence.Fairness.Statement),
    };

    private sealed record DataFile(DatasetVersionId Id, string Sha256, IReadOnlyList<ColumnSchema> Schema);

    private sealed record ChampionInputs(ModelVersion Version, Run Run);

    private sealed record Inputs(
        string ModelName,
        ModelStage TargetStage,
        ModelVersion ChallengerVersion,
        Run ChallengerRun,
        DataFile? ChallengerData,
        ChampionInputs? Champion,
        DataFile? HoldOut,
        IReadOnlyList<RecordedDiagnostic> Diagnostics,
        IReadOnlyList<ClassifiedColumn> TrainingColumns,
        IReadOnlyList<string> SensitiveColumns);

    private async Task<Inputs?> LoadAsync(PromotionRequestId requestId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var request = await db.PromotionRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is not { Status: PromotionStatus.Evaluating })
        {
            return null;
        }

        var model = await db.RegisteredModels.AsNoTracking().Include(m => m.Versions).FirstAsync(m => m.Id == request.ModelId, cancellationToken);
        var challenger = model.FindVersion(request.VersionId)!;
        var challengerRun = await db.Runs.AsNoTracking().FirstAsync(r => r.Id == challenger.RunId, cancellationToken);
        if (challengerRun.LabelColumn is null || challengerRun.Task is null)
        {
            throw new PromotionEvaluationException([$"Run {challengerRun.Id} does not say its label column and task, so its model cannot be scored."]);
        }

        ChampionInputs? champion = null;
        if (model.Champion is { } c && c.Id != challenger.Id)
        {
            champion = new(c, await db.Runs.AsNoTracking().FirstAsync(r => r.Id == c.RunId, cancellationToken));
        }

        var challengerData = await DataFileAsync(db, challengerRun.DatasetVersionId, cancellationToken);
        var holdOut = await DataFileAsync(db, model.HoldOutDatasetVersionId, cancellationToken);
        if (holdOut is null && challengerData is null)
        {
            throw new PromotionEvaluationException(["The challenger's run has no dataset in Portal and the model has no hold-out dataset: designate one so both models can be scored."]);
        }

        var diagnostics = await db.RunDiagnostics.AsNoTracking().Where(d => d.RunId == challengerRun.Id)
            .Select(d => new RecordedDiagnostic(d.Rule, d.Severity, d.Message)).ToListAsync(cancellationToken);
        var trainingVersions = challenger.DatasetVersionIds.ToList();
        var columns = await db.DatasetColumns.AsNoTracking().Where(col => trainingVersions.Contains(col.DatasetVersionId))
            .Join(db.DatasetVersions, col => col.DatasetVersionId, v => v.Id, (col, v) => new { col, v.Version, v.DatasetId })
            .Join(db.Datasets, x => x.DatasetId, d => d.Id, (x, d) => new { x.col, x.Version, d.Name })
            .ToListAsync(cancellationToken);
        var training = columns.Where(x => x.col.Name != challengerRun.LabelColumn)
            .Select(x => new ClassifiedColumn(x.Name, x.Version, x.col.Name, x.col.Classification, x.col.PersonalDataSuspected)).ToList();
        var rowsVersion = holdOut?.Id ?? challengerData!.Id;
        var sensitive = await db.DatasetColumns.AsNoTracking()
            .Where(col => col.DatasetVersionId == rowsVersion && (col.Classification == DataClassification.SpecialCategory || col.Sensitive) && col.Name != challengerRun.LabelColumn)
            .Select(col => col.Name).ToListAsync(cancellationToken);
        return new(model.Name, request.TargetStage, challenger, challengerRun, challengerData, champion, holdOut, diagnostics, training, sensitive);
    }

    private static async Task<DataFile?> DataFileAsync(PortalDbContext db, DatasetVersionId? id, CancellationToken cancellationToken)
    {
        if (id is not { } versionId)
        {
            return null;
        }

        var version = await db.DatasetVersions.AsNoTracking().Include(v => v.Columns).FirstOrDefaultAsync(v => v.Id == versionId, cancellationToken);
        return version is null ? null : new DataFile(version.Id, version.Sha256, version.Schema);
    }
}
