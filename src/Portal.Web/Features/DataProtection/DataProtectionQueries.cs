using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Datasets;
using Portal.Domain.Rollouts;

namespace Portal.Web.Features.DataProtection;

/// <summary>
/// What the data protection officer's workspace reads: the to-do list (unclassified columns by dataset version), retention
/// due or expired, and the personal-data map (every dataset version with personal columns and what was built from it).
/// </summary>
public sealed class DataProtectionQueries(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    /// <summary>How long before its end a retention period shows as due.</summary>
    public static readonly TimeSpan DueWithin = TimeSpan.FromDays(30);

    /// <summary>Dataset versions (not purged) with columns nobody has classified, newest first.</summary>
    public async Task<IReadOnlyList<TodoGroup>> TodoAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (from v in db.DatasetVersions.AsNoTracking()
                          join d in db.Datasets on v.DatasetId equals d.Id
                          where v.PurgedUtc == null && v.Columns.Any(c => c.Classification == DataClassification.Unclassified)
                          select new
                          {
                              d.Id,
                              d.Name,
                              v.Version,
                              v.CreatedUtc,
                              Columns = v.Columns.Where(c => c.Classification == DataClassification.Unclassified).OrderBy(c => c.Ordinal)
                                  .Select(c => new TodoColumn(c.Name, c.ChangeSincePrevious, c.PersonalDataSuspected)).ToList(),
                          }).ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(r => r.CreatedUtc).Select(r => new TodoGroup(r.Id, r.Name, r.Version, r.CreatedUtc, r.Columns))];
    }

    /// <summary>How many columns wait for the DPO.</summary>
    public async Task<int> TodoCountAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.DatasetVersions.AsNoTracking().Where(v => v.PurgedUtc == null)
            .SelectMany(v => v.Columns).CountAsync(c => c.Classification == DataClassification.Unclassified, cancellationToken);
    }

    /// <summary>
    /// Dataset versions whose retention alert was raised, or whose retention (upload plus the shortest retention of their
    /// personal columns) has passed or ends within <see cref="DueWithin"/>; soonest first.
    /// </summary>
    public async Task<IReadOnlyList<RetentionRow>> RetentionAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (from v in db.DatasetVersions.AsNoTracking()
                          join d in db.Datasets on v.DatasetId equals d.Id
                          where v.RetentionExpiredUtc != null || v.Columns.Any(c => c.RetentionDays != null
                              && (c.Classification == DataClassification.Personal || c.Classification == DataClassification.SpecialCategory))
                          select new
                          {
                              d.Id,
                              d.Name,
                              v.Version,
                              v.CreatedUtc,
                              v.RetentionExpiredUtc,
                              v.PurgedUtc,
                              Days = v.Columns.Where(c => c.RetentionDays != null
                                      && (c.Classification == DataClassification.Personal || c.Classification == DataClassification.SpecialCategory))
                                  .Min(c => c.RetentionDays),
                          }).ToListAsync(cancellationToken);
        return [.. rows
            .Select(r => new RetentionRow(r.Id, r.Name, r.Version, r.CreatedUtc, r.Days, r.Days is { } days ? r.CreatedUtc.AddDays(days) : null,
                r.RetentionExpiredUtc, r.PurgedUtc is not null))
            .Where(r => r.ExpiredUtc is not null || (r.DueUtc is { } due && due <= now + DueWithin))
            .OrderBy(r => r.ExpiredUtc ?? r.DueUtc)];
    }

    /// <summary>
    /// Every dataset version with a personal or special-category column (or one suspected and not yet classified, which
    /// counts as personal until the DPO says otherwise), with the runs trained on it, the model versions registered from
    /// those runs (live ones flagged), and their promotion requests; datasets by name, versions newest first.
    /// </summary>
    public async Task<IReadOnlyList<PersonalDataEntry>> PersonalDataMapAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var versions = await (from v in db.DatasetVersions.AsNoTracking()
                              join d in db.Datasets on v.DatasetId equals d.Id
                              where v.Columns.Any(c => c.Classification == DataClassification.Personal || c.Classification == DataClassification.SpecialCategory
                                  || (c.Classification == DataClassification.Unclassified && c.PersonalDataSuspected))
                              select new
                              {
                                  DatasetId = d.Id,
                                  d.Name,
                                  v.Id,
                                  v.Version,
                                  v.PurgedUtc,
                                  Columns = v.Columns.Where(c => c.Classification == DataClassification.Personal || c.Classification == DataClassification.SpecialCategory
                                          || (c.Classification == DataClassification.Unclassified && c.PersonalDataSuspected))
                                      .OrderBy(c => c.Ordinal).Select(c => new MapColumn(c.Name, c.Classification)).ToList(),
                              }).ToListAsync(cancellationToken);
        var versionIds = versions.Select(v => v.Id).ToList();
        var runs = await db.Runs.AsNoTracking().Where(r => r.DatasetVersionId != null && versionIds.Contains(r.DatasetVersionId.Value))
            .Select(r => new { r.Id, r.DatasetVersionId, r.Status, r.SubmittedByName }).ToListAsync(cancellationToken);
        var runIds = runs.Select(r => r.Id).ToList();
        var models = await (from mv in db.ModelVersions.AsNoTracking()
                            join m in db.RegisteredModels on mv.ModelId equals m.Id
                            where runIds.Contains(mv.RunId)
                            select new { mv.Id, m.Name, mv.Number, mv.Stage, mv.RunId }).ToListAsync(cancellationToken);
        var modelVersionIds = models.Select(m => m.Id).ToList();
        var canaries = (await db.Rollouts.AsNoTracking().Where(r => r.State == RolloutState.Running || r.State == RolloutState.Paused)
            .Select(r => r.CanaryVersionId).ToListAsync(cancellationToken)).ToHashSet();
        var promotions = await db.PromotionRequests.AsNoTracking().Where(p => modelVersionIds.Contains(p.VersionId))
            .Select(p => new { p.Id, p.VersionId, p.TargetStage, p.Status }).ToListAsync(cancellationToken);

        return [.. versions.OrderBy(v => v.Name, StringComparer.Ordinal).ThenByDescending(v => v.Version).Select(v =>
        {
            var trained = runs.Where(r => r.DatasetVersionId == v.Id).ToList();
            var built = models.Where(m => trained.Any(r => r.Id == m.RunId)).OrderBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.Number).ToList();
            return new PersonalDataEntry(v.DatasetId, v.Id, v.Name, v.Version, v.PurgedUtc is not null, v.Columns,
                [.. trained.Select(r => new MapRun(r.Id, r.Status, r.SubmittedByName))],
                [.. built.Select(m => new MapModelVersion(m.Name, m.Number, m.Stage, m.RunId, canaries.Contains(m.Id)))],
                [.. promotions.Where(p => built.Any(m => m.Id == p.VersionId)).Select(p =>
                {
                    var model = built.First(m => m.Id == p.VersionId);
                    return new MapPromotion(p.Id, model.Name, model.Number, p.TargetStage, p.Status);
                })]);
        })];
    }
}
