using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Registry;
using Portal.Domain.Security;
using Portal.Domain.Text;
using Portal.Web.Infrastructure;

namespace Portal.Web.Features.Registry;

/// <summary>Which promotion requests an inbox lists.</summary>
public enum InboxView
{
    /// <summary>Requests waiting for a business manager's decision (Pending).</summary>
    Managers,

    /// <summary>Requests waiting for the data protection officer: a sign-off or a fairness breach to accept.</summary>
    DataProtection,

    /// <summary>Every open request: evaluating, pending, blocked or stale.</summary>
    Open,

    /// <summary>Every request, decided ones too.</summary>
    All,
}

/// <summary>Reads the registry for pages and the API: the models list, one model with its history, inboxes, one request with its evidence.</summary>
public sealed class RegistryQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int MaxPageSize = 100;

    /// <summary>The deepest page served: beyond it the row offset (page × size) would overflow.</summary>
    public const int MaxPage = int.MaxValue / MaxPageSize;

    private static readonly PromotionStatus[] OpenStatuses = [PromotionStatus.Evaluating, PromotionStatus.Pending, PromotionStatus.Blocked, PromotionStatus.Stale];

    public async Task<PagedResult<ModelRow>> ListModelsAsync(string? search, int page, int pageSize, CancellationToken cancellationToken)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Clamp(page, 0, MaxPage);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.RegisteredModels.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var normalized = TextRule.NormalizedName(search);
            query = query.Where(m => m.NormalizedName.Contains(normalized));
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(m => m.NormalizedName).Skip(page * pageSize).Take(pageSize)
            .Select(m => new
            {
                m.Id, m.Name, m.Description, m.RiskTier, m.OwnerId, m.HasOverriddenPromotion, m.CreatedUtc,
                Versions = db.ModelVersions.Count(v => v.ModelId == m.Id),
                Champion = db.ModelVersions.Where(v => v.ModelId == m.Id && v.Stage == ModelStage.Production).Select(v => (int?)v.Number).FirstOrDefault(),
                Open = db.PromotionRequests.Count(r => r.ModelId == m.Id && OpenStatuses.Contains(r.Status)),
            })
            .ToListAsync(cancellationToken);
        var names = await NamesAsync(db, rows.Select(r => r.OwnerId), cancellationToken);
        return new(rows.Select(r => new ModelRow(r.Id, r.Name, r.Description, r.RiskTier, names.GetValueOrDefault(r.OwnerId, r.OwnerId), r.Versions, r.Champion,
            r.Open, r.HasOverriddenPromotion, r.CreatedUtc)).ToList(), total, page, pageSize);
    }

    public async Task<ModelDetails?> GetModelAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var normalized = TextRule.NormalizedName(name ?? "");
        var model = await db.RegisteredModels.AsNoTracking().Include(m => m.Versions).AsSplitQuery()
            .FirstOrDefaultAsync(m => m.NormalizedName == normalized, cancellationToken);
        if (model is null)
        {
            return null;
        }

        var runIds = model.Versions.Select(v => v.RunId).ToList();
        var runs = await db.Runs.AsNoTracking().Where(r => runIds.Contains(r.Id)).Select(r => new { r.Id, r.Trainer, r.Task }).ToDictionaryAsync(r => r.Id, cancellationToken);
        var requests = await db.PromotionRequests.AsNoTracking().Where(r => r.ModelId == model.Id).OrderByDescending(r => r.RequestedUtc).Take(200)
            .ToListAsync(cancellationToken);
        HoldOutRef? holdOut = null;
        if (model.HoldOutDatasetVersionId is { } h)
        {
            holdOut = await db.DatasetVersions.AsNoTracking().Where(v => v.Id == h)
                .Join(db.Datasets, v => v.DatasetId, d => d.Id, (v, d) => new HoldOutRef(d.Id.Value, d.Name, v.Version, v.RowCount))
                .FirstOrDefaultAsync(cancellationToken);
        }

        var names = await NamesAsync(db, model.Versions.SelectMany(v => new[] { v.RunSubmittedBy, v.RegisteredBy })
            .Concat(model.ProductionHistory.SelectMany(p => p.ApprovedBy)).Concat(requests.Select(r => r.RequestedBy)).Append(model.OwnerId), cancellationToken);
        var versions = model.Versions.OrderByDescending(v => v.Number).Select(v => new VersionRow(v.Id, v.Number, v.RunId, v.Stage,
            names.GetValueOrDefault(v.RunSubmittedBy, v.RunSubmittedBy), names.GetValueOrDefault(v.RegisteredBy, v.RegisteredBy), v.RegisteredUtc,
            v.StageChangedUtc, v.ModelSha256, v.InputSignature, v.Metrics, runs.GetValueOrDefault(v.RunId)?.Trainer, runs.GetValueOrDefault(v.RunId)?.Task)).ToList();
        var history = model.ProductionHistory.OrderByDescending(p => p.FromUtc).Select(p => new ProductionPeriodRow(p.VersionNumber, p.FromUtc, p.ToUtc,
            p.ApprovedBy.Select(a => names.GetValueOrDefault(a, a)).ToList(), p.RequestId, p.Reason, p.EvidenceSha256, p.Overridden)).ToList();
        return new ModelDetails(model.Id, model.Name, model.Description, model.RiskTier, model.OwnerId, names.GetValueOrDefault(model.OwnerId, model.OwnerId),
            holdOut, model.HasOverriddenPromotion, model.CreatedUtc, versions.FirstOrDefault(v => v.Stage == ModelStage.Production), versions, history,
            requests.Select(r => Row(r, model.Name, model.RiskTier, names)).ToList());
    }

    /// <summary>An inbox page, newest first.</summary>
    public async Task<PagedResult<PromotionRow>> InboxAsync(InboxView view, int page, int pageSize, CancellationToken cancellationToken)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Clamp(page, 0, MaxPage);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = Filter(db.PromotionRequests.AsNoTracking(), view);
        var total = await query.CountAsync(cancellationToken);
        var requests = await query.OrderByDescending(r => r.RequestedUtc).Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var modelIds = requests.Select(r => r.ModelId).Distinct().ToList();
        var models = await db.RegisteredModels.AsNoTracking().Where(m => modelIds.Contains(m.Id))
            .Select(m => new { m.Id, m.Name, m.RiskTier }).ToDictionaryAsync(m => m.Id, cancellationToken);
        var names = await NamesAsync(db, requests.Select(r => r.RequestedBy), cancellationToken);
        return new(requests.Select(r => Row(r, models[r.ModelId].Name, models[r.ModelId].RiskTier, names)).ToList(), total, page, pageSize);
    }

    /// <summary>How many requests wait in an inbox: the badge.</summary>
    public async Task<int> CountAsync(InboxView view, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Filter(db.PromotionRequests.AsNoTracking(), view).CountAsync(cancellationToken);
    }

    /// <summary>The inbox a user's roles make theirs: managers decide, the DPO signs off; others follow every open request.</summary>
    public static InboxView InboxFor(IEnumerable<string> roles)
    {
        var set = roles.ToHashSet(StringComparer.Ordinal);
        return set.Contains(Roles.BusinessManager) ? InboxView.Managers
            : set.Contains(Roles.DataProtectionOfficer) ? InboxView.DataProtection
            : InboxView.Open;
    }

    public async Task<PromotionDetails?> GetRequestAsync(PromotionRequestId requestId, bool withEvidence, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var request = await db.PromotionRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null)
        {
            return null;
        }

        var model = await db.RegisteredModels.AsNoTracking().Where(m => m.Id == request.ModelId).Select(m => new { m.Name, m.RiskTier }).FirstAsync(cancellationToken);
        var runId = await db.ModelVersions.AsNoTracking().Where(v => v.Id == request.VersionId).Select(v => v.RunId).FirstAsync(cancellationToken);
        var job = await db.PromotionEvaluationJobs.AsNoTracking().FirstOrDefaultAsync(j => j.RequestId == requestId, cancellationToken);
        string? evidence = null;
        if (withEvidence && request.EvidenceSha256 is { } sha)
        {
            evidence = await db.PromotionEvidence.AsNoTracking().Where(e => e.RequestId == requestId && e.EvidenceSha256 == sha).Select(e => e.Json)
                .FirstOrDefaultAsync(cancellationToken);
        }

        var names = await NamesAsync(db, request.Approvals.Select(a => a.ApproverId).Concat(request.SignOffs.Select(s => s.OfficerId))
            .Append(request.RequestedBy).Append(request.RunSubmittedBy).Append(request.DecidedBy ?? "").Append(request.OverriddenBy ?? "")
            .Append(request.FairnessAcceptedBy ?? ""), cancellationToken);
        string? Name(string? id) => id is null ? null : names.GetValueOrDefault(id, id);
        return new PromotionDetails(
            Row(request, model.Name, model.RiskTier, names),
            request.RunSubmittedBy,
            Name(request.RunSubmittedBy)!,
            runId,
            request.Approvals.Select(a => new ApprovalRow(a.ApproverId, Name(a.ApproverId)!, a.Comment, a.EvidenceSha256Seen, a.ApprovedUtc,
                a.EvidenceSha256Seen == request.EvidenceSha256)).ToList(),
            request.SignOffs.Select(s => new SignOffRow(s.OfficerId, Name(s.OfficerId)!, s.Allow, s.Comment, s.EvidenceSha256Seen, s.SignedUtc,
                s.EvidenceSha256Seen == request.EvidenceSha256)).ToList(),
            Name(request.FairnessAcceptedBy),
            request.FairnessAcceptanceReason,
            Name(request.DecidedBy),
            request.DecidedUtc,
            request.RejectionComment,
            Name(request.OverriddenBy),
            request.OverrideReason,
            request.EvaluatedUtc,
            job is null ? null : new EvaluationProgress(job.Progress, job.Stage, job.Attempt, job.LastError),
            evidence);
    }

    private static IQueryable<PromotionRequest> Filter(IQueryable<PromotionRequest> query, InboxView view) => view switch
    {
        InboxView.Managers => query.Where(r => r.Status == PromotionStatus.Pending),
        InboxView.DataProtection => query.Where(r => (r.Status == PromotionStatus.Pending || r.Status == PromotionStatus.Blocked) && r.SignOffRequired),
        InboxView.Open => query.Where(r => OpenStatuses.Contains(r.Status)),
        _ => query,
    };

    private static PromotionRow Row(PromotionRequest r, string model, RiskTier tier, IReadOnlyDictionary<string, string> names) =>
        new(r.Id, r.ModelId, model, tier, r.VersionNumber, r.TargetStage, r.Status, r.RequestedBy, names.GetValueOrDefault(r.RequestedBy, r.RequestedBy),
            r.RequestedUtc, r.Justification, r.ApprovalCount, r.RequiredApprovals, r.SignOffRequired, r.CurrentSignOff is not null, r.Gates, r.EvidenceSha256,
            r.StaleReason, r.Overridden);

    private static async Task<Dictionary<string, string>> NamesAsync(PortalDbContext db, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Where(i => !string.IsNullOrEmpty(i)).Distinct().ToList();
        return wanted.Count == 0
            ? []
            : await db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id))
                .ToDictionaryAsync(u => u.Id, u => string.IsNullOrEmpty(u.DisplayName) ? u.UserName ?? u.Id : u.DisplayName, cancellationToken);
    }
}
