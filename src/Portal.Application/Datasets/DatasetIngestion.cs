using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Privacy;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Data.Audit;
using Portal.Data.Live;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Live;
using Portal.Domain.Privacy;

namespace Portal.Application.Datasets;

/// <summary>A CSV in the store's staging area with its analysis; disposing it without committing discards the file.</summary>
public sealed record StagedCsv(StagedBlob Blob, DatasetAnalysis Analysis) : IDisposable
{
    public void Dispose() => Blob.Dispose();
}

/// <summary>A saved dataset version; <see cref="Created"/> is false when identical content was already a version of that name.</summary>
public sealed record IngestedVersion(Dataset Dataset, DatasetVersion Version, bool Created);

/// <summary>
/// The one path a CSV takes to become a dataset version, whoever sends it (an upload, the retraining loop): streamed into the
/// content-addressed store (hashing as it goes), analysed from the stored file (schema, profile, personal-data flags), and saved
/// as the next version of its name with its audit entry — or the existing version when the content is identical.
/// </summary>
public sealed class DatasetIngestion(IDbContextFactory<PortalDbContext> dbFactory, ContentAddressedStore store, AuditTrail audit, TimeProvider time,
    SubjectIndexer subjectIndexer)
{
    /// <summary>Stages and analyses a CSV without committing anything; refuses an empty, oversized or malformed file.</summary>
    public async Task<OperationResult<StagedCsv>> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        StagedBlob staged;
        try
        {
            staged = await store.StageAsync(content, maxBytes, cancellationToken);
        }
        catch (BlobRejectedException ex)
        {
            return ex.Reason == BlobRejectionReason.Empty
                ? OperationResult<StagedCsv>.Fail(OperationStatus.Invalid, "The file is empty.")
                : OperationResult<StagedCsv>.Fail(OperationStatus.TooLarge, $"The file is larger than the limit of {maxBytes / (1024 * 1024)} MB.");
        }

        try
        {
            await using var stored = staged.OpenRead();
            var analysis = await new DatasetAnalyzer().AnalyzeAsync(stored, cancellationToken);
            if (analysis.Rows == 0)
            {
                throw new CsvFormatException(2, "the file has a header but no data rows");
            }

            return OperationResult<StagedCsv>.Ok(new StagedCsv(staged, analysis));
        }
        catch (CsvFormatException ex)
        {
            staged.Dispose();
            return OperationResult<StagedCsv>.Fail(OperationStatus.Invalid, ex.LineNumber > 0
                ? $"The CSV is malformed at line {ex.LineNumber}: {ex.Reason}"
                : ex.Reason);
        }
        catch
        {
            staged.Dispose();
            throw;
        }
    }

    /// <summary>Commits a staged CSV as the next version of <paramref name="name"/> (a trimmed, valid name), or returns the version with the same content.</summary>
    public async Task<IngestedVersion> SaveAsync(string name, string fileName, StagedCsv staged, AuditActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staged);
        var blob = staged.Blob.Commit();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SaveVersionAsync(name, fileName, blob, staged.Analysis, actor, cancellationToken);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another upload of the same name took the version number (or created the dataset) first: read again.
            }
        }
    }

    private async Task<IngestedVersion> SaveVersionAsync(string name, string fileName, StoredBlob blob, DatasetAnalysis analysis,
        AuditActor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var dataset = await db.Datasets.FirstOrDefaultAsync(d => d.Name == name, cancellationToken);
        if (dataset is not null)
        {
            var existing = await db.DatasetVersions.AsNoTracking().Include(v => v.Columns)
                .FirstOrDefaultAsync(v => v.DatasetId == dataset.Id && v.Sha256 == blob.Sha256, cancellationToken);
            if (existing is not null)
            {
                return new(dataset, existing, false);
            }
        }
        else
        {
            dataset = Dataset.Create(name, actor.Id, now);
            db.Datasets.Add(dataset);
        }

        var columns = analysis.Columns.Select(c => DatasetColumn.Create(c.Schema.Ordinal, c.Name, c.Type, c.Suspicion is not null,
            c.Suspicion is null ? null : string.Join("; ", c.Suspicion.Evidence.Select(e => e.Reason))));
        var version = DatasetVersion.Create(dataset.Id, dataset.NextVersion(), blob.Sha256, blob.Size, analysis.Rows,
            Path.GetFileName(fileName), JsonSerializer.Serialize(analysis.Columns, DatasetProfiles.Json), columns, actor.Id, now);
        db.DatasetVersions.Add(version);
        await subjectIndexer.AddAsync(db, version, cancellationToken);
        audit.Record(db, actor, AuditActions.DatasetUploaded, AuditSubject.DatasetVersion(version.Id), new
        {
            dataset = name,
            version = version.Version,
            sha256 = blob.Sha256,
            rows = analysis.Rows,
            columns = version.ColumnCount,
            suspectedPersonalData = version.Columns.Where(c => c.PersonalDataSuspected).Select(c => c.Name).ToList(),
        });
        await CarryClassificationAsync(db, version, actor, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new(dataset, version, true);
    }

    /// <summary>
    /// Carries the DPO's decisions from the previous version to <paramref name="version"/> (same name and type), flags added
    /// and retyped columns, and records that in the audit trail and on the data-protection topic — on this context, so in
    /// the same transaction as the version itself.
    /// </summary>
    private async Task CarryClassificationAsync(PortalDbContext db, DatasetVersion version, AuditActor actor, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var previous = version.Version == 1
            ? null
            : await db.DatasetVersions.AsNoTracking().Include(v => v.Columns)
                .Where(v => v.DatasetId == version.DatasetId && v.Version < version.Version)
                .OrderByDescending(v => v.Version).FirstOrDefaultAsync(cancellationToken);
        if (previous is null)
        {
            // A first version: every column waits for the DPO.
            db.Publish(new DataProtectionChanged(LiveTopics.DataProtection, DataProtectionChange.VersionUploaded, version.DatasetId, version.Id,
                $"v{version.Version}: {version.ColumnCount} column(s) to classify"), now);
            return;
        }

        var carried = version.CarryClassificationFrom(previous);
        audit.Record(db, actor, AuditActions.DatasetClassificationCarried, AuditSubject.DatasetVersion(version.Id), new
        {
            version = version.Version,
            fromVersion = carried.FromVersion,
            carried = carried.Carried,
            added = carried.Added,
            retyped = carried.Retyped,
        });
        db.Publish(new DataProtectionChanged(LiveTopics.DataProtection, DataProtectionChange.VersionUploaded, version.DatasetId, version.Id,
            $"v{version.Version}: {carried.Carried.Count} column(s) carried from v{carried.FromVersion}, {carried.Added.Count} added, {carried.Retyped.Count} retyped"), now);
    }
}
