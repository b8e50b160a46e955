using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Data.Live;
using Portal.Domain.Datasets;
using Portal.Domain.Live;
using Portal.Domain.Privacy;

namespace Portal.Application.Datasets;

/// <summary>
/// The data protection officer classifies the columns of a dataset version, one at a time or by confirming the
/// personal-data detector's suggestions for every unclassified column. Only the DPO may (decided by the domain, whatever
/// the caller is). Each changed column gets an audit entry, saved in the same transaction as the change and as what the
/// <see cref="IClassificationChangeListener"/> does about it.
/// </summary>
public sealed class ColumnClassification(
    IDbContextFactory<PortalDbContext> dbFactory,
    AuditTrail audit,
    IClassificationChangeListener listener,
    TimeProvider time)
{
    /// <summary>Classifies one column, found by name (exact, else ignoring case); the column as it now is.</summary>
    public Task<OperationResult<ClassifiedColumn>> ClassifyAsync(DatasetId datasetId, int version, string column,
        DataClassification classification, bool sensitive, AuditActor actor, IReadOnlyCollection<string> actorRoles, CancellationToken cancellationToken) =>
        ClassifyAsync(datasetId, version, column, classification, sensitive, null, actor, actorRoles, cancellationToken);

    /// <summary>
    /// Classifies one column, found by name (exact, else ignoring case), and when <paramref name="protection"/> is given
    /// records its purpose, legal basis and retention too (replacing what was recorded); the column as it now is.
    /// </summary>
    public async Task<OperationResult<ClassifiedColumn>> ClassifyAsync(DatasetId datasetId, int version, string column,
        DataClassification classification, bool sensitive, ColumnProtection? protection, AuditActor actor, IReadOnlyCollection<string> actorRoles,
        CancellationToken cancellationToken)
    {
        if (!ColumnClassificationRules.MayClassify(actorRoles))
        {
            return OperationResult<ClassifiedColumn>.Fail(OperationStatus.Forbidden, ColumnClassificationRules.RoleRefusal);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (found, missing) = await LoadAsync(db, datasetId, version, cancellationToken);
        if (found is null)
        {
            return OperationResult<ClassifiedColumn>.Fail(OperationStatus.NotFound, missing!);
        }

        var result = found.Decide(column, classification, sensitive, protection, actor.Id, actor.Name, actorRoles, time.GetUtcNow());
        if (!result.Succeeded)
        {
            return OperationResult<ClassifiedColumn>.Fail(StatusOf(result.Refusal!.Value), result.Message!);
        }

        var decided = found.FindColumn(column)!;
        var saved = await SaveAsync(db, found, result.Classification is { } change ? [change] : [],
            result.Protection is { } protectionChange ? [protectionChange] : [], actor, confirmedSuggestions: false, cancellationToken);
        return saved.Succeeded
            ? OperationResult<ClassifiedColumn>.Ok(ClassifiedColumn.From(decided))
            : saved.FailAs<ClassifiedColumn>();
    }

    /// <summary>Confirms the suggestions for every unclassified column of the version at once; the columns that changed.</summary>
    public async Task<OperationResult<IReadOnlyList<ColumnClassificationChange>>> ConfirmSuggestionsAsync(DatasetId datasetId, int version,
        AuditActor actor, IReadOnlyCollection<string> actorRoles, CancellationToken cancellationToken)
    {
        if (!ColumnClassificationRules.MayClassify(actorRoles))
        {
            return OperationResult<IReadOnlyList<ColumnClassificationChange>>.Fail(OperationStatus.Forbidden, ColumnClassificationRules.RoleRefusal);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (found, missing) = await LoadAsync(db, datasetId, version, cancellationToken);
        if (found is null)
        {
            return OperationResult<IReadOnlyList<ColumnClassificationChange>>.Fail(OperationStatus.NotFound, missing!);
        }

        var result = found.ConfirmSuggestions(actor.Id, actor.Name, actorRoles, time.GetUtcNow());
        if (!result.Succeeded)
        {
            return OperationResult<IReadOnlyList<ColumnClassificationChange>>.Fail(StatusOf(result.Refusal!.Value), result.Message!);
        }

        var saved = await SaveAsync(db, found, result.Changes, [], actor, confirmedSuggestions: true, cancellationToken);
        return saved.Succeeded ? OperationResult<IReadOnlyList<ColumnClassificationChange>>.Ok(result.Changes) : saved.FailAs<IReadOnlyList<ColumnClassificationChange>>();
    }

    private static async Task<(DatasetVersion? Version, string? Missing)> LoadAsync(PortalDbContext db, DatasetId datasetId, int version,
        CancellationToken cancellationToken)
    {
        var dataset = await db.Datasets.AsNoTracking().Where(d => d.Id == datasetId).Select(d => new { d.Name, d.LatestVersion })
            .FirstOrDefaultAsync(cancellationToken);
        if (dataset is null)
        {
            return (null, $"No dataset has the id {datasetId}.");
        }

        var found = await db.DatasetVersions.Include(v => v.Columns)
            .FirstOrDefaultAsync(v => v.DatasetId == datasetId && v.Version == version, cancellationToken);
        return found is null
            ? (null, $"Dataset '{dataset.Name}' has no version {version}; its versions are 1 to {dataset.LatestVersion}.")
            : (found, null);
    }

    private async Task<OperationResult<bool>> SaveAsync(PortalDbContext db, DatasetVersion version, IReadOnlyList<ColumnClassificationChange> changes,
        IReadOnlyList<ColumnProtectionChange> protectionChanges, AuditActor actor, bool confirmedSuggestions, CancellationToken cancellationToken)
    {
        if (changes.Count == 0 && protectionChanges.Count == 0)
        {
            // Confirming what is already recorded changes nothing: no entry, and no evidence goes stale.
            return OperationResult<bool>.Ok(false);
        }

        // One entry per column that changed, whether its category, its purpose, legal basis or retention, or both.
        foreach (var ordinal in changes.Select(c => c.Ordinal).Union(protectionChanges.Select(p => p.Ordinal)).Order())
        {
            var change = changes.FirstOrDefault(c => c.Ordinal == ordinal);
            var protectionChange = protectionChanges.FirstOrDefault(p => p.Ordinal == ordinal);
            var column = version.Columns.First(c => c.Ordinal == ordinal);
            var before = protectionChange?.Before ?? column.Protection;
            audit.Record(db, actor, AuditActions.DatasetColumnClassified, AuditSubject.DatasetVersion(version.Id), new
            {
                column = column.Name,
                ordinal,
                before = (change?.Before ?? column.Classification).ToString(),
                after = column.Classification.ToString(),
                sensitiveBefore = change?.SensitiveBefore ?? column.Sensitive,
                sensitive = column.Sensitive,
                confirmedSuggestion = confirmedSuggestions,
                purposeBefore = before.Purpose,
                purpose = column.Purpose,
                legalBasisBefore = before.LegalBasis.ToString(),
                legalBasis = column.LegalBasis.ToString(),
                retentionDaysBefore = before.RetentionDays,
                retentionDays = column.RetentionDays,
            });
        }

        var names = changes.Select(c => c.Column).Union(protectionChanges.Select(p => p.Column)).ToList();
        db.Publish(new DataProtectionChanged(LiveTopics.DataProtection, DataProtectionChange.Classified, version.DatasetId, version.Id,
            $"v{version.Version}: {string.Join(", ", names)} classified"), time.GetUtcNow());

        // Open promotion requests whose version trained on this dataset version no longer match the evidence they froze:
        // the registry's listener marks them stale here, on this context, so that happens in this transaction or not at all.
        if (changes.Count > 0)
        {
            await listener.ClassificationChangedAsync(db, version.Id, changes, actor, cancellationToken);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return OperationResult<bool>.Fail(OperationStatus.Conflict,
                "Another classification of these columns was saved at the same moment; look at them again and retry.");
        }

        return OperationResult<bool>.Ok(true);
    }

    private static OperationStatus StatusOf(ClassificationRefusalReason reason) => reason switch
    {
        ClassificationRefusalReason.RoleRequired => OperationStatus.Forbidden,
        ClassificationRefusalReason.UnknownColumn => OperationStatus.NotFound,
        _ => OperationStatus.Invalid,
    };
}
