using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Datasets;

namespace Portal.Application.Datasets;

/// <summary>
/// Reads the DPO's classification of the columns of given dataset versions: what the registry's fairness and
/// data-protection gates and the model card need. The web app and the standalone worker both register it.
/// </summary>
public sealed class DatasetClassificationQuery(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>Each known version of <paramref name="versionIds"/> with its columns in order; an unknown id has no entry.</summary>
    public async Task<IReadOnlyDictionary<DatasetVersionId, DatasetVersionClassification>> ForVersionsAsync(
        IReadOnlyCollection<DatasetVersionId> versionIds, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ReadAsync(db, versionIds, cancellationToken);
    }

    /// <summary>The same read on the caller's context, for a use case that decides in its own unit of work (a gate evaluation).</summary>
    public static async Task<IReadOnlyDictionary<DatasetVersionId, DatasetVersionClassification>> ReadAsync(PortalDbContext db,
        IReadOnlyCollection<DatasetVersionId> versionIds, CancellationToken cancellationToken)
    {
        if (versionIds.Count == 0)
        {
            return new Dictionary<DatasetVersionId, DatasetVersionClassification>();
        }

        var ids = versionIds.Distinct().ToList();
        var versions = await (from v in db.DatasetVersions.AsNoTracking()
                              join d in db.Datasets.AsNoTracking() on v.DatasetId equals d.Id
                              where ids.Contains(v.Id)
                              select new { v.Id, v.DatasetId, d.Name, v.Version })
            .ToListAsync(cancellationToken);
        var columns = await db.DatasetColumns.AsNoTracking()
            .Where(c => ids.Contains(c.DatasetVersionId))
            .OrderBy(c => c.Ordinal)
            .ToListAsync(cancellationToken);
        var byVersion = columns.ToLookup(c => c.DatasetVersionId);
        return versions.ToDictionary(v => v.Id, v => new DatasetVersionClassification(v.Id, v.DatasetId, v.Name, v.Version,
            [.. byVersion[v.Id].Select(ClassifiedColumn.From)]));
    }
}
