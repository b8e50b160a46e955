using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Lineage;

namespace Portal.Application.Lineage;

/// <summary>
/// Adds the lineage edges of records saved before the graph existed (a database created before issue 13), from the same rules
/// a save applies (<see cref="LineageDerivation"/>). Idempotent: a kind whose edges are all there is skipped after a count, and
/// an edge already stored is never added again (the save drops duplicates). Run at startup after the migrations.
/// </summary>
public static class LineageBackfill
{
    private const int PageSize = 1000;

    /// <summary>Adds the missing edges; returns how many were added.</summary>
    public static async Task<int> RunAsync(IDbContextFactory<PortalDbContext> dbFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        var added = 0;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.DatasetVersions.CountAsync(cancellationToken) > await CountAsync(db, LineageEdgeKind.DerivedFrom, LineageNodeKind.DatasetVersion, cancellationToken))
            {
                added += await PagesAsync(dbFactory, q => q.DatasetVersions.AsNoTracking().OrderBy(v => v.Id).Select(v => new { v.Id, v.DatasetId, v.CreatedUtc }),
                    v => [LineageDerivation.VersionOf(v.DatasetId, v.Id, v.CreatedUtc)], cancellationToken);
            }

            var runsWithData = await db.Runs.CountAsync(r => r.DatasetVersionId != null, cancellationToken);
            var runsUsing = await db.LineageEdges.Where(e => e.Kind == LineageEdgeKind.UsedBy && e.ToKind == LineageNodeKind.Run)
                .Select(e => e.ToId).Distinct().CountAsync(cancellationToken);
            if (runsWithData > runsUsing)
            {
                added += await PagesAsync(dbFactory, q => q.Runs.AsNoTracking().Where(r => r.DatasetVersionId != null).OrderBy(r => r.Id)
                        .Select(r => new { r.Id, r.DatasetVersionId, r.SubmittedUtc }),
                    r => [LineageDerivation.UsedBy(r.DatasetVersionId!.Value, r.Id, r.SubmittedUtc)], cancellationToken);
            }

            if (await db.ModelVersions.CountAsync(cancellationToken) > await CountAsync(db, LineageEdgeKind.RegisteredAs, LineageNodeKind.ModelVersion, cancellationToken))
            {
                added += await PagesAsync(dbFactory, q => q.ModelVersions.AsNoTracking().OrderBy(v => v.Id), LineageDerivation.EdgesOf, cancellationToken);
            }

            if (await db.PromotionRequests.CountAsync(cancellationToken) > await CountAsync(db, LineageEdgeKind.ApprovedBy, LineageNodeKind.Promotion, cancellationToken))
            {
                added += await PagesAsync(dbFactory, q => q.PromotionRequests.AsNoTracking().OrderBy(p => p.Id), LineageDerivation.EdgesOf, cancellationToken);
            }
        }

        // Production periods and rollouts are few (a handful per model): always checked.
        added += await PagesAsync(dbFactory, q => q.RegisteredModels.AsNoTracking().OrderBy(m => m.Id), m => m.ProductionHistory.SelectMany(LineageDerivation.EdgesOf),
            cancellationToken);
        added += await PagesAsync(dbFactory, q => q.Rollouts.AsNoTracking().OrderBy(r => r.Id), LineageDerivation.EdgesOf, cancellationToken);
        return added;
    }

    private static Task<int> CountAsync(PortalDbContext db, LineageEdgeKind kind, LineageNodeKind to, CancellationToken cancellationToken) =>
        db.LineageEdges.CountAsync(e => e.Kind == kind && e.ToKind == to, cancellationToken);

    /// <summary>Reads the rows a page at a time and saves each page's edges in its own context, where stored duplicates are dropped.</summary>
    private static async Task<int> PagesAsync<T>(IDbContextFactory<PortalDbContext> dbFactory, Func<PortalDbContext, IQueryable<T>> rows,
        Func<T, IEnumerable<LineageEdge>> edgesOf, CancellationToken cancellationToken)
    {
        var added = 0;
        for (var page = 0; ; page++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var batch = await rows(db).Skip(page * PageSize).Take(PageSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return added;
            }

            db.LineageEdges.AddRange(batch.SelectMany(edgesOf));
            await db.SaveChangesAsync(cancellationToken);
            added += db.ChangeTracker.Entries<LineageEdge>().Count();
            if (batch.Count < PageSize)
            {
                return added;
            }
        }
    }
}
