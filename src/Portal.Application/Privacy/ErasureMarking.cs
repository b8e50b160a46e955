using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Data.Live;
using Portal.Data.Webhooks;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Live;
using Portal.Domain.Monitoring;
using Portal.Domain.Privacy;
using Portal.Domain.Registry;
using Portal.Domain.Text;
using Portal.Domain.Webhooks;

namespace Portal.Application.Privacy;

/// <summary>What the DPO marks: a data subject (key column and value) or one whole dataset version, and why.</summary>
public sealed record MarkForErasure(string? Column, string? Value, DatasetVersionId? DatasetVersionId, string? Reason);

/// <summary>What marking did: the request, the versions marked, and the models that must now be retrained without them.</summary>
public sealed record ErasureMarked(ErasureRequestId RequestId, string? KeyHash, IReadOnlyList<DatasetVersionId> DatasetVersionIds,
    IReadOnlyList<ModelVersionId> AffectedModelVersionIds, IReadOnlyList<string> RetrainModels);

/// <summary>
/// Marks for erasure in one transaction: the <see cref="ErasureRequest"/> (the subject's keyed hash, never the value), the mark on
/// every dataset version found, a "retrain required" <see cref="Retraining"/> (trigger <see cref="RetrainingTrigger.Erasure"/>) for
/// every model whose champion learned from a marked version, audit entries <c>erasure.requested</c> and one
/// <c>retraining.required</c> per model, the webhook <c>erasure.requested</c>, and a live data-protection event per dataset.
/// </summary>
public sealed class ErasureMarking(IDbContextFactory<PortalDbContext> dbFactory, ErasureImpact impact, AuditTrail audit, TimeProvider time)
{
    public async Task<OperationResult<ErasureMarked>> MarkAsync(MarkForErasure command, AuditActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrWhiteSpace(command.Reason) || command.Reason.Length > ErasureRequest.MaxReasonLength)
        {
            return Fail(OperationStatus.Invalid, $"reason is required (at most {ErasureRequest.MaxReasonLength} characters): say which request or duty this erasure answers.");
        }

        if (TextRule.FreeTextProblem("reason", command.Reason, ErasureRequest.MaxReasonLength) is { } textProblem)
        {
            return Fail(OperationStatus.Invalid, textProblem);
        }

        var bySubject = command.DatasetVersionId is null;
        var found = bySubject
            ? await impact.OfSubjectAsync(command.Column, command.Value, cancellationToken)
            : await impact.OfVersionAsync(command.DatasetVersionId!.Value, cancellationToken);
        if (!found.Succeeded)
        {
            return found.FailAs<ErasureMarked>();
        }

        var report = found.Value!;
        if (report.DatasetVersions.Count == 0)
        {
            return Fail(OperationStatus.NotFound, $"No indexed dataset version has that value in column '{report.Column}': nothing to mark.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var ids = report.DatasetVersions.Select(v => v.VersionId).ToList();
        var request = ErasureRequest.Create(ErasureRequestId.New(now), report.Column, report.KeyHash, command.Reason.Trim(), ids,
            report.ModelVersions.Select(v => v.VersionId), actor.Id, actor.Name, now);
        db.ErasureRequests.Add(request);
        var versions = await db.DatasetVersions.Where(v => ids.Contains(v.Id)).ToListAsync(cancellationToken);
        foreach (var version in versions)
        {
            version.MarkForErasure(request.Id, now);
        }

        // A model must be retrained when the version serving in Production learned from marked data.
        var marked = ids.ToHashSet();
        var affectedModels = report.ModelVersions.Select(v => v.ModelId).Distinct().ToList();
        var models = await db.RegisteredModels.AsNoTracking().Include(m => m.Versions).Where(m => affectedModels.Contains(m.Id)).ToListAsync(cancellationToken);
        var retrain = new List<string>();
        foreach (var model in models.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            if (model.Champion is not { } champion || !champion.DatasetVersionIds.Any(marked.Contains))
            {
                continue;
            }

            var retraining = Retraining.ForErasure(RetrainingId.New(now), model.Id, champion.Id, request.Id,
                $"Retrain required: version {champion.Number} learned from data marked for erasure (request {request.Id}).", now);
            db.Retrainings.Add(retraining);
            retrain.Add(model.Name);
            audit.Record(db, actor, AuditActions.RetrainingRequired, AuditSubject.RegisteredModel(model.Id), new
            {
                model = model.Name,
                champion = champion.Number,
                retrainingId = retraining.Id.ToString(),
                erasureRequestId = request.Id.ToString(),
            });
        }

        var details = new
        {
            erasureRequestId = request.Id.ToString(),
            column = report.Column,
            keyHash = report.KeyHash,
            datasetVersions = report.DatasetVersions.Select(v => $"{v.Dataset} v{v.Version}").ToList(),
            modelVersions = report.ModelVersions.Select(v => $"{v.Model} v{v.Number}").ToList(),
            retrainModels = retrain,
            reason = request.Reason,
        };
        audit.Record(db, actor, AuditActions.ErasureRequested, AuditSubject.ErasureRequest(request.Id), details);
        await db.EnqueueWebhooksAsync(WebhookEventTypes.ErasureRequested, details, now, cancellationToken);
        foreach (var dataset in report.DatasetVersions.GroupBy(v => v.DatasetId))
        {
            db.Publish(new DataProtectionChanged(LiveTopics.DataProtection, DataProtectionChange.MarkedForErasure, dataset.Key, dataset.First().VersionId,
                $"{dataset.First().Dataset}: {dataset.Count()} version(s) marked for erasure"), now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return OperationResult<ErasureMarked>.Ok(new ErasureMarked(request.Id, report.KeyHash, ids, request.AffectedModelVersionIds, retrain));
    }

    private static OperationResult<ErasureMarked> Fail(OperationStatus status, string error) => OperationResult<ErasureMarked>.Fail(status, error);
}
