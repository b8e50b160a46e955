using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Data.Audit;
using Portal.Data.Metrics;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Text;
using Portal.Ml.Registry;

namespace Portal.Application.Registry;

/// <summary>The request to register a model: its name, what it is for, its risk tier (above Low only for managers).</summary>
public sealed record CreateModel(string? Name, string? Description, RiskTier RiskTier = RiskTier.Low);

/// <summary>
/// Registered models and their versions: create a model, register a version from a succeeded run (managed, or external
/// with an ML.NET model file), set the risk tier, designate the hold-out. Each change is audited in its own transaction;
/// a change that alters the evidence of open promotion requests marks them stale in the same transaction.
/// </summary>
public sealed class ModelRegistry(IDbContextFactory<PortalDbContext> dbFactory, ContentAddressedStore store, AuditTrail audit, TimeProvider time)
{
    public async Task<OperationResult<RegisteredModel>> CreateAsync(CreateModel command, AuditActor actor, IReadOnlyCollection<string> roles,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if ((RegisteredModel.NameProblem(command.Name) ?? RegisteredModel.DescriptionProblem(command.Description)) is { } problem)
        {
            return OperationResult<RegisteredModel>.Fail(OperationStatus.Invalid, problem);
        }

        if (!Enum.IsDefined(command.RiskTier))
        {
            return OperationResult<RegisteredModel>.Fail(OperationStatus.Invalid, "The risk tier must be Low or High.");
        }

        if (command.RiskTier != RiskTier.Low && !RegisteredModel.MaySetRiskTier(roles))
        {
            return OperationResult<RegisteredModel>.Fail(OperationStatus.Forbidden,
                "Only an Administrator or a BusinessManager may set a model's risk tier; register it at Low and ask one of them.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var normalized = TextRule.NormalizedName(command.Name!);
        if (await db.RegisteredModels.AnyAsync(m => m.NormalizedName == normalized, cancellationToken))
        {
            return OperationResult<RegisteredModel>.Fail(OperationStatus.Conflict, $"A model named {command.Name!.Trim()} already exists (names ignore case).");
        }

        var now = time.GetUtcNow();
        var model = RegisteredModel.Create(command.Name!, command.Description ?? "", actor.Id, roles, command.RiskTier, now);
        db.RegisteredModels.Add(model);
        audit.Record(db, actor, AuditActions.ModelRegistered, AuditSubject.RegisteredModel(model.Id),
            new { name = model.Name, riskTier = model.RiskTier.ToString() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return OperationResult<RegisteredModel>.Fail(OperationStatus.Conflict, $"A model named {model.Name} was registered at the same moment (names ignore case).");
        }

        return OperationResult<RegisteredModel>.Ok(model);
    }

    /// <summary>
    /// Registers the next version of <paramref name="modelName"/> from a succeeded run: its dataset version, the input
    /// signature read from its model file (which must load as an ML.NET model), its final metrics and the file's SHA-256.
    /// </summary>
    public Task<OperationResult<ModelVersion>> RegisterVersionAsync(string modelName, RunId runId, AuditActor actor, CancellationToken cancellationToken) =>
        RegistryConcurrency.RetryAsync<ModelVersion>(dbFactory, async db =>
        {
            var model = await FindAsync(db, modelName, cancellationToken);
            if (model is null)
            {
                return NoModel<ModelVersion>(modelName);
            }

            var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
            if (run is null)
            {
                return OperationResult<ModelVersion>.Fail(OperationStatus.NotFound, $"No run {runId}.");
            }

            if (run.Status != RunStatus.Succeeded)
            {
                return OperationResult<ModelVersion>.Fail(OperationStatus.Conflict, $"Run {runId} is {run.Status}; only a succeeded run becomes a model version.");
            }

            if (run.ModelSha256 is null || !store.Exists(run.ModelSha256))
            {
                return OperationResult<ModelVersion>.Fail(OperationStatus.Invalid, run.Mode == RunMode.External
                    ? $"Run {runId} has no model file: attach its ML.NET model zip (POST /api/runs/{runId}/artifacts) before registering it."
                    : $"Run {runId} has no model file to register.");
            }

            IReadOnlyList<InputFeature> signature;
            try
            {
                await using var stream = store.OpenRead(run.ModelSha256);
                signature = ModelSignatureReader.Read(stream, run.LabelColumn);
            }
            catch (InvalidDataException ex)
            {
                return OperationResult<ModelVersion>.Fail(OperationStatus.Invalid, $"Run {runId}'s model file cannot be registered: {ex.Message}");
            }

            var metrics = await db.LatestMetricsAsync(runId, cancellationToken);
            var registration = new VersionRegistration(run.Id, run.SubmittedBy,
                run.DatasetVersionId is { } d ? [d] : [],
                signature,
                metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(StringComparer.Ordinal),
                run.ModelSha256);
            if (model.VersionProblem(registration) is { } problem)
            {
                return OperationResult<ModelVersion>.Fail(model.FindVersion(runId) is null ? OperationStatus.Invalid : OperationStatus.Conflict, problem);
            }

            var now = time.GetUtcNow();
            var version = model.RegisterVersion(registration, actor.Id, now);
            RegistryConcurrency.Touch(db, model);
            audit.Record(db, actor, AuditActions.ModelVersionRegistered, AuditSubject.ModelVersion(version.Id),
                new { model = model.Name, version = version.Number, runId = run.Id.ToString(), modelSha256 = version.ModelSha256, features = signature.Count });
            db.PublishModelChanged(model, $"version {version.Number} registered", now);
            await db.SaveChangesAsync(cancellationToken);
            return OperationResult<ModelVersion>.Ok(version);
        }, cancellationToken);

    /// <summary>Sets the risk tier (Administrators and BusinessManagers); open requests then need re-evaluation (their approval count changes).</summary>
    public Task<OperationResult<RiskTier>> ChangeRiskTierAsync(string modelName, RiskTier tier, AuditActor actor, IReadOnlyCollection<string> roles,
        CancellationToken cancellationToken) =>
        RegistryConcurrency.RetryAsync<RiskTier>(dbFactory, async db =>
        {
            if (!Enum.IsDefined(tier))
            {
                return OperationResult<RiskTier>.Fail(OperationStatus.Invalid, "The risk tier must be Low or High.");
            }

            var model = await FindAsync(db, modelName, cancellationToken);
            if (model is null)
            {
                return NoModel<RiskTier>(modelName);
            }

            var before = model.RiskTier;
            if (model.ChangeRiskTier(tier, roles).Refusal is { } refusal)
            {
                return RegistryRefusals.Fail<RiskTier>(refusal);
            }

            if (before == tier)
            {
                return OperationResult<RiskTier>.Ok(tier);
            }

            var now = time.GetUtcNow();
            RegistryConcurrency.Touch(db, model);
            audit.Record(db, actor, AuditActions.ModelRiskTierChanged, AuditSubject.RegisteredModel(model.Id),
                new { model = model.Name, before = before.ToString(), after = tier.ToString() });
            await PromotionStaleness.MarkOpenRequestsStaleAsync(db, audit, actor, r => r.ModelId == model.Id,
                $"The model's risk tier changed from {before} to {tier}.", model.Name, now, cancellationToken);
            db.PublishModelChanged(model, "risk tier changed", now);
            await db.SaveChangesAsync(cancellationToken);
            return OperationResult<RiskTier>.Ok(tier);
        }, cancellationToken);

    /// <summary>Designates (or clears) the hold-out dataset version challengers and champion are scored on; open requests go stale.</summary>
    public Task<OperationResult<DatasetVersionId?>> DesignateHoldOutAsync(string modelName, DatasetId? datasetId, int? version, AuditActor actor,
        IReadOnlyCollection<string> roles, CancellationToken cancellationToken) =>
        RegistryConcurrency.RetryAsync<DatasetVersionId?>(dbFactory, async db =>
        {
            var model = await FindAsync(db, modelName, cancellationToken);
            if (model is null)
            {
                return NoModel<DatasetVersionId?>(modelName);
            }

            DatasetVersionId? holdOut = null;
            if (datasetId is { } d)
            {
                var found = await db.DatasetVersions.AsNoTracking()
                    .Where(v => v.DatasetId == d && (version == null || v.Version == version))
                    .OrderByDescending(v => v.Version)
                    .Select(v => (DatasetVersionId?)v.Id)
                    .FirstOrDefaultAsync(cancellationToken);
                if (found is null)
                {
                    var datasetExists = version is not null && await db.Datasets.AsNoTracking().AnyAsync(s => s.Id == d, cancellationToken);
                    return OperationResult<DatasetVersionId?>.Fail(OperationStatus.NotFound,
                        datasetExists ? $"Dataset {d} has no version {version}." : $"No dataset {d}.");
                }

                holdOut = found;
            }

            var before = model.HoldOutDatasetVersionId;
            if (model.DesignateHoldOut(holdOut, actor.Id, roles).Refusal is { } refusal)
            {
                return RegistryRefusals.Fail<DatasetVersionId?>(refusal);
            }

            if (before == holdOut)
            {
                return OperationResult<DatasetVersionId?>.Ok(holdOut);
            }

            var now = time.GetUtcNow();
            RegistryConcurrency.Touch(db, model);
            audit.Record(db, actor, AuditActions.ModelHoldOutDesignated, AuditSubject.RegisteredModel(model.Id),
                new { model = model.Name, before = before?.ToString(), after = holdOut?.ToString() });
            await PromotionStaleness.MarkOpenRequestsStaleAsync(db, audit, actor, r => r.ModelId == model.Id,
                "The model's hold-out dataset changed: the models must be scored on the new rows.", model.Name, now, cancellationToken);
            db.PublishModelChanged(model, "hold-out changed", now);
            await db.SaveChangesAsync(cancellationToken);
            return OperationResult<DatasetVersionId?>.Ok(holdOut);
        }, cancellationToken);

    /// <summary>The model by name (case-insensitive), tracked, with its versions and production history.</summary>
    internal static Task<RegisteredModel?> FindAsync(PortalDbContext db, string? name, CancellationToken cancellationToken)
    {
        var normalized = TextRule.NormalizedName(name ?? "");
        return db.RegisteredModels.Include(m => m.Versions).FirstOrDefaultAsync(m => m.NormalizedName == normalized, cancellationToken);
    }

    internal static OperationResult<T> NoModel<T>(string? name) =>
        OperationResult<T>.Fail(OperationStatus.NotFound, $"No model named {name}.");
}
