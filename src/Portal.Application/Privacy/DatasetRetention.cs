using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Data.Audit;
using Portal.Data.Live;
using Portal.Data.Webhooks;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Live;
using Portal.Domain.Privacy;
using Portal.Domain.Text;
using Portal.Domain.Webhooks;

namespace Portal.Application.Privacy;

/// <summary>A version past (or at) its retention, for the DPO's list.</summary>
public sealed record RetentionRow(DatasetVersionId VersionId, DatasetId DatasetId, string Dataset, int Version, DateTime CreatedUtc, DateTime DueUtc,
    DateTime? AlertedUtc, DateTime? PurgedUtc, string? PurgedBy);

/// <summary>What the DPO sends to purge a version: an explicit confirmation and the reason.</summary>
public sealed record PurgeDatasetVersion(DatasetVersionId VersionId, bool Confirm, string? Reason);

/// <summary>A purge done: whether the stored file was deleted, or kept because another version still holds the same content.</summary>
public sealed record PurgedVersion(DatasetVersionId VersionId, string Dataset, int Version, bool BlobDeleted, DateTime PurgedUtc);

/// <summary>
/// Retention of dataset versions. <see cref="AlertDueAsync"/> raises the retention alert once per version whose retention passed
/// (upload + the shortest retention of its personal and special-category columns): <c>RetentionExpiredUtc</c>, audit
/// <c>dataset.retention.expired</c>, webhook <c>dataset.retention_expired</c> and a live data-protection event in one transaction,
/// claimed by a conditional update so any number of workers may sweep at once. <see cref="PurgeAsync"/> is the DPO's purge.
/// </summary>
public sealed class DatasetRetention(IDbContextFactory<PortalDbContext> dbFactory, ContentAddressedStore store, AuditTrail audit, TimeProvider time)
{
    /// <summary>The system actor of retention alerts.</summary>
    public static readonly AuditActor Actor = AuditActor.Service("retention");

    /// <summary>Versions whose retention has passed, alerted or not, purged or not, soonest due first.</summary>
    public async Task<IReadOnlyList<RetentionRow>> ListDueAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var candidates = await Candidates(db).ToListAsync(cancellationToken);
        var names = await db.Datasets.AsNoTracking().Select(d => new { d.Id, d.Name }).ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);
        return [.. candidates.Where(v => v.RetentionDueUtc <= now)
            .Select(v => new RetentionRow(v.Id, v.DatasetId, names.GetValueOrDefault(v.DatasetId, "?"), v.Version, v.CreatedUtc, v.RetentionDueUtc!.Value,
                v.RetentionExpiredUtc, v.PurgedUtc, v.PurgedBy))
            .OrderBy(r => r.DueUtc)];
    }

    /// <summary>Raises the alert of every version due and not yet alerted; returns how many this call raised.</summary>
    public async Task<int> AlertDueAsync(CancellationToken cancellationToken)
    {
        List<DatasetVersionId> due;
        var now = time.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            due = (await Candidates(db).Where(v => v.RetentionExpiredUtc == null).ToListAsync(cancellationToken))
                .Where(v => v.RetentionDueUtc <= now.UtcDateTime).Select(v => v.Id).ToList();
        }

        var raised = 0;
        foreach (var id in due)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // The claim: only the first sweeper to set the mark raises the alert.
            var claimed = await db.DatasetVersions.Where(v => v.Id == id && v.RetentionExpiredUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.RetentionExpiredUtc, now.UtcDateTime), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }

            var version = await db.DatasetVersions.AsNoTracking().Include(v => v.Columns).FirstAsync(v => v.Id == id, cancellationToken);
            var dataset = await db.Datasets.AsNoTracking().Where(d => d.Id == version.DatasetId).Select(d => d.Name).FirstAsync(cancellationToken);
            var details = new
            {
                datasetVersionId = id.ToString(),
                dataset,
                version = version.Version,
                uploadedUtc = version.CreatedUtc,
                retentionDueUtc = version.RetentionDueUtc,
                columns = version.Columns.Where(c => c.RetentionDays is not null && c.Classification is DataClassification.Personal or DataClassification.SpecialCategory)
                    .OrderBy(c => c.Ordinal).Select(c => new { c.Name, c.RetentionDays }).ToList(),
            };
            audit.Record(db, Actor, AuditActions.DatasetRetentionExpired, AuditSubject.DatasetVersion(id), details);
            await db.EnqueueWebhooksAsync(WebhookEventTypes.RetentionExpired, details, now, cancellationToken);
            db.Publish(new DataProtectionChanged(LiveTopics.DataProtection, DataProtectionChange.RetentionExpired, version.DatasetId, id,
                $"{dataset} v{version.Version} passed its retention"), now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            raised++;
        }

        return raised;
    }

    /// <summary>
    /// Purges a version's content: refused without <see cref="PurgeDatasetVersion.Confirm"/> and a reason, 404 unknown, 409 already
    /// purged. Metadata, hashes, the erasure index and lineage stay; the stored file is deleted after the commit unless another
    /// version that is not purged has the same content.
    /// </summary>
    public async Task<OperationResult<PurgedVersion>> PurgeAsync(PurgeDatasetVersion command, AuditActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        if (!command.Confirm)
        {
            return OperationResult<PurgedVersion>.Fail(OperationStatus.Invalid, "confirm must be true: a purge deletes the version's content and cannot be undone.");
        }

        if (string.IsNullOrWhiteSpace(command.Reason) || command.Reason.Length > DatasetVersion.MaxPurgeReasonLength)
        {
            return OperationResult<PurgedVersion>.Fail(OperationStatus.Invalid, $"reason is required (at most {DatasetVersion.MaxPurgeReasonLength} characters).");
        }

        if (TextRule.FreeTextProblem("reason", command.Reason, DatasetVersion.MaxPurgeReasonLength) is { } textProblem)
        {
            return OperationResult<PurgedVersion>.Fail(OperationStatus.Invalid, textProblem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var version = await db.DatasetVersions.FirstOrDefaultAsync(v => v.Id == command.VersionId, cancellationToken);
        if (version is null)
        {
            return OperationResult<PurgedVersion>.Fail(OperationStatus.NotFound, $"There is no dataset version {command.VersionId}.");
        }

        var now = time.GetUtcNow();
        var dataset = await db.Datasets.AsNoTracking().Where(d => d.Id == version.DatasetId).Select(d => d.Name).FirstAsync(cancellationToken);
        if (!version.Purge(actor.Name, command.Reason.Trim(), now))
        {
            return OperationResult<PurgedVersion>.Fail(OperationStatus.Conflict,
                $"{dataset} v{version.Version} was already purged on {version.PurgedUtc:yyyy-MM-dd HH:mm} UTC by {version.PurgedBy}.");
        }

        var shared = await db.DatasetVersions.AnyAsync(v => v.Id != version.Id && v.Sha256 == version.Sha256 && v.PurgedUtc == null, cancellationToken);
        audit.Record(db, actor, AuditActions.DatasetVersionPurged, AuditSubject.DatasetVersion(version.Id), new
        {
            dataset,
            version = version.Version,
            sha256 = version.Sha256,
            reason = version.PurgeReason,
            blobKept = shared,
        });
        db.Publish(new DataProtectionChanged(LiveTopics.DataProtection, DataProtectionChange.Purged, version.DatasetId, version.Id,
            $"{dataset} v{version.Version} purged"), now);
        await db.SaveChangesAsync(cancellationToken);

        var deleted = false;
        if (!shared)
        {
            try
            {
                File.Delete(store.GetPath(version.Sha256));
                deleted = true;
            }
            catch (IOException)
            {
                // The metadata already says purged; nothing reads a purged version's content, and a retry of the delete is harmless.
            }
        }

        return OperationResult<PurgedVersion>.Ok(new PurgedVersion(version.Id, dataset, version.Version, deleted, now.UtcDateTime));
    }

    private static IQueryable<DatasetVersion> Candidates(PortalDbContext db) =>
        db.DatasetVersions.AsNoTracking().Include(v => v.Columns)
            .Where(v => v.Columns.Any(c => c.RetentionDays != null
                && (c.Classification == DataClassification.Personal || c.Classification == DataClassification.SpecialCategory)));
}
