using Microsoft.EntityFrameworkCore;
using Portal.Application.Datasets;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Registry;

namespace Portal.Application.Registry;

/// <summary>
/// When the DPO changes a column's classification, the open promotion requests whose evidence read that data — versions
/// trained on that dataset version, or models scored on it as their hold-out — go stale in the same transaction: their
/// data protection and fairness gates were decided on the old classification.
/// </summary>
public sealed class RegistryClassificationListener(AuditTrail audit, TimeProvider time) : IClassificationChangeListener
{
    private static readonly PromotionStatus[] Open = [PromotionStatus.Evaluating, PromotionStatus.Pending, PromotionStatus.Blocked];

    public async Task ClassificationChangedAsync(PortalDbContext db, DatasetVersionId versionId, IReadOnlyList<ColumnClassificationChange> changes,
        AuditActor actor, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var open = await db.PromotionRequests.AsNoTracking().Where(r => Open.Contains(r.Status))
            .Select(r => new { r.Id, r.VersionId, r.ModelId }).ToListAsync(cancellationToken);
        if (open.Count == 0)
        {
            return;
        }

        var versionIds = open.Select(r => r.VersionId).Distinct().ToList();
        var modelIds = open.Select(r => r.ModelId).Distinct().ToList();
        var trainedOn = (await db.ModelVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).ToListAsync(cancellationToken))
            .Where(v => v.DatasetVersionIds.Contains(versionId)).Select(v => v.Id).ToHashSet();
        var models = await db.RegisteredModels.AsNoTracking().Where(m => modelIds.Contains(m.Id))
            .Select(m => new { m.Id, m.Name, m.HoldOutDatasetVersionId }).ToDictionaryAsync(m => m.Id, cancellationToken);
        var columns = string.Join(", ", changes.Select(c => c.Column));
        foreach (var group in open.Where(r => trainedOn.Contains(r.VersionId) || models[r.ModelId].HoldOutDatasetVersionId == versionId).GroupBy(r => r.ModelId))
        {
            var ids = group.Select(r => r.Id).ToList();
            await PromotionStaleness.MarkOpenRequestsStaleAsync(db, audit, actor, r => ids.Contains(r.Id),
                $"The data protection officer changed the classification of {columns}: the data protection and fairness gates must be decided again.",
                models[group.Key].Name, time.GetUtcNow(), cancellationToken);
        }
    }
}
