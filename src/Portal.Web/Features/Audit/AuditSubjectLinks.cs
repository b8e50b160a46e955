using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Ids;
using Portal.Domain.Registry;

namespace Portal.Web.Features.Audit;

/// <summary>
/// The page an audit subject links to. Subjects whose URL is their id (runs, promotions, rollouts) map directly; dataset versions,
/// models and model versions are looked up in one query per kind for a page of rows. A subject that no longer exists, or a kind
/// without a page of its own, has no link.
/// </summary>
public sealed class AuditSubjectLinks(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>The URL of a subject known from its kind and id alone; null when it needs a lookup or has no page.</summary>
    public static string? Direct(string subjectType, string subjectId) => subjectType switch
    {
        _ when subjectType == AuditSubjectKinds.Run.Name && Guid.TryParse(subjectId, out var run) => $"/runs/{StronglyTypedId.Format(run)}",
        _ when subjectType == AuditSubjectKinds.PromotionRequest.Name && Guid.TryParse(subjectId, out var request) => $"/promotions/{StronglyTypedId.Format(request)}",
        _ when subjectType == AuditSubjectKinds.Rollout.Name && Guid.TryParse(subjectId, out var rollout) => $"/rollouts/{StronglyTypedId.Format(rollout)}",
        _ when subjectType == AuditSubjectKinds.MonitoringAlert.Name => "/alerts",
        _ when subjectType == AuditSubjectKinds.User.Name => "/admin/users",
        _ when subjectType == AuditSubjectKinds.ApiToken.Name => "/tokens",
        _ when subjectType == AuditSubjectKinds.Experiment.Name => "/experiments",
        _ when subjectType == AuditSubjectKinds.WebhookSubscription.Name || subjectType == AuditSubjectKinds.WebhookDelivery.Name => "/admin/webhooks",
        _ when subjectType == AuditSubjectKinds.AuditCheckpoint.Name => "/audit#checkpoints",
        _ when subjectType == AuditSubjectKinds.ErasureRequest.Name => "/dpo/erasure",
        _ when subjectType == AuditSubjectKinds.LineageEvent.Name => "/lineage",
        _ => null,
    };

    /// <summary>Links for a page of rows, keyed by (subject type, subject id).</summary>
    public async Task<IReadOnlyDictionary<(string Type, string Id), string>> ResolveAsync(IEnumerable<AuditRow> rows, CancellationToken cancellationToken)
    {
        var subjects = rows.Select(r => (r.SubjectType, r.SubjectId)).Distinct().ToList();
        var links = new Dictionary<(string, string), string>();
        foreach (var (type, id) in subjects)
        {
            if (Direct(type, id) is { } url)
            {
                links[(type, id)] = url;
            }
        }

        var datasetVersions = Ids<DatasetVersionId>(subjects, AuditSubjectKinds.DatasetVersion);
        var models = Ids<RegisteredModelId>(subjects, AuditSubjectKinds.RegisteredModel);
        var modelVersions = Ids<ModelVersionId>(subjects, AuditSubjectKinds.ModelVersion);
        if (datasetVersions.Count + models.Count + modelVersions.Count == 0)
        {
            return links;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (datasetVersions.Count > 0)
        {
            foreach (var v in await db.DatasetVersions.AsNoTracking().Where(v => datasetVersions.Contains(v.Id))
                         .Select(v => new { v.Id, v.DatasetId }).ToListAsync(cancellationToken))
            {
                links[(AuditSubjectKinds.DatasetVersion.Name, v.Id.ToString())] = $"/datasets/{v.DatasetId}";
            }
        }

        if (models.Count > 0)
        {
            foreach (var m in await db.RegisteredModels.AsNoTracking().Where(m => models.Contains(m.Id))
                         .Select(m => new { m.Id, m.Name }).ToListAsync(cancellationToken))
            {
                links[(AuditSubjectKinds.RegisteredModel.Name, m.Id.ToString())] = $"/models/{Uri.EscapeDataString(m.Name)}";
            }
        }

        if (modelVersions.Count > 0)
        {
            var found = await (from v in db.ModelVersions.AsNoTracking()
                               join m in db.RegisteredModels.AsNoTracking() on v.ModelId equals m.Id
                               where modelVersions.Contains(v.Id)
                               select new { v.Id, m.Name, v.Number }).ToListAsync(cancellationToken);
            foreach (var v in found)
            {
                links[(AuditSubjectKinds.ModelVersion.Name, v.Id.ToString())] = $"/models/{Uri.EscapeDataString(v.Name)}/versions/{v.Number}";
            }
        }

        return links;
    }

    private static List<TId> Ids<TId>(IEnumerable<(string Type, string Id)> subjects, AuditSubjectKind kind)
        where TId : struct, IStronglyTypedId<TId> =>
        subjects.Where(s => s.Type == kind.Name)
            .Select(s => StronglyTypedId.TryParse<TId>(s.Id, out var id) ? (TId?)id : null)
            .OfType<TId>()
            .ToList();
}
