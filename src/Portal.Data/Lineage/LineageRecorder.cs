using Microsoft.EntityFrameworkCore;
using Portal.Domain.Lineage;

namespace Portal.Data.Lineage;

/// <summary>
/// Adds the lineage edges of what a save records (<see cref="LineageDerivation"/>), so the edges commit or roll back with
/// the records they describe, and keeps every edge unique: an edge already tracked or already stored (a rollout's deployment
/// edge when the same promotion's production period opens; an OpenLineage event repeated) is not added twice.
/// Called by <see cref="PortalDbContext.SaveChangesAsync(bool, CancellationToken)"/> before it writes.
/// </summary>
public static class LineageRecorder
{
    private const int ChunkSize = 500;

    /// <summary>Adds an edge to the save unless it is already tracked; a stored duplicate is dropped when the save runs.</summary>
    public static void Record(PortalDbContext db, LineageNodeRef from, LineageNodeRef to, LineageEdgeKind kind, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        var key = new EdgeKey(from, to, kind);
        if (!db.ChangeTracker.Entries<LineageEdge>().Any(e => EdgeKey.Of(e.Entity) == key))
        {
            db.LineageEdges.Add(LineageEdge.Create(from, to, kind, now));
        }
    }

    internal static async Task AddDerivedEdgesAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var tracked = new HashSet<EdgeKey>();
        var pending = new List<LineageEdge>();
        foreach (var entry in db.ChangeTracker.Entries<LineageEdge>().ToList())
        {
            var key = EdgeKey.Of(entry.Entity);
            if (entry.State != EntityState.Added)
            {
                tracked.Add(key);
            }
            else if (tracked.Add(key))
            {
                pending.Add(entry.Entity);
            }
            else
            {
                entry.State = EntityState.Detached;
            }
        }

        var derived = db.ChangeTracker.Entries()
            .Where(e => e.State == EntityState.Added && e.Entity is not LineageEdge)
            .SelectMany(e => LineageDerivation.EdgesOf(e.Entity))
            .ToList();
        foreach (var edge in derived)
        {
            if (tracked.Add(EdgeKey.Of(edge)))
            {
                db.LineageEdges.Add(edge);
                pending.Add(edge);
            }
        }

        if (pending.Count == 0)
        {
            return;
        }

        var stored = await StoredAsync(db, pending, cancellationToken);
        foreach (var edge in pending.Where(e => stored.Contains(EdgeKey.Of(e))))
        {
            db.Entry(edge).State = EntityState.Detached;
        }
    }

    /// <summary>Which of these edges are already stored: one read by (ToKind, ToId) per target kind and chunk.</summary>
    private static async Task<HashSet<EdgeKey>> StoredAsync(PortalDbContext db, List<LineageEdge> edges, CancellationToken cancellationToken)
    {
        var stored = new HashSet<EdgeKey>();
        foreach (var group in edges.GroupBy(e => e.ToKind))
        {
            var kind = group.Key;
            foreach (var chunk in group.Select(e => e.ToId).Distinct(StringComparer.Ordinal).Chunk(ChunkSize))
            {
                var ids = chunk.ToList();
                var rows = await db.LineageEdges.AsNoTracking()
                    .Where(e => e.ToKind == kind && ids.Contains(e.ToId))
                    .Select(e => new { e.FromKind, e.FromId, e.ToKind, e.ToId, e.Kind })
                    .ToListAsync(cancellationToken);
                stored.UnionWith(rows.Select(r => new EdgeKey(new(r.FromKind, r.FromId), new(r.ToKind, r.ToId), r.Kind)));
            }
        }

        return stored;
    }

    private readonly record struct EdgeKey(LineageNodeRef From, LineageNodeRef To, LineageEdgeKind Kind)
    {
        public static EdgeKey Of(LineageEdge edge) => new(edge.From, edge.To, edge.Kind);
    }
}
