using Microsoft.EntityFrameworkCore;
using Portal.Application.Registry;
using Portal.Data;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;

namespace Portal.Worker.Monitoring;

/// <summary>
/// Claims the monitoring cursors of the models in production, one per model and window kind, creating those that do not exist
/// yet: those this worker already holds and those nobody holds (or whose holder went silent). The cursor's revision is its
/// concurrency token, so of two workers racing for one, exactly one wins; the successor of a lapsed lease resumes from the cursor.
/// </summary>
public sealed class MonitoringLeases(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    private static readonly WindowKind[] Kinds = Enum.GetValues<WindowKind>();

    public async Task<IReadOnlyList<(RegisteredModelId ModelId, WindowKind Kind)>> ClaimAsync(string workerId, TimeSpan lease, CancellationToken cancellationToken)
    {
        await EnsureCursorsAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var monitored = MonitoredModels(db);
        var candidates = await db.MonitoringCursors
            .Where(c => monitored.Contains(c.ModelId) && (c.LeaseOwner == null || c.LeaseOwner == workerId || c.LeaseExpiresUtc < now.UtcDateTime))
            .OrderBy(c => c.UpdatedUtc)
            .ToListAsync(cancellationToken);
        var claimed = new List<(RegisteredModelId, WindowKind)>();
        foreach (var cursor in candidates)
        {
            cursor.Lease(workerId, now + lease);
            RegistryConcurrency.Touch(db, cursor);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                claimed.Add((cursor.ModelId, cursor.Kind));
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another worker took it first: it is theirs this round.
                db.Entry(cursor).State = EntityState.Detached;
            }
        }

        return claimed;
    }

    /// <summary>Lets this worker's cursors go (on an orderly stop), so another worker takes the models at once.</summary>
    public async Task ReleaseAllAsync(string workerId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var cursor in await db.MonitoringCursors.Where(c => c.LeaseOwner == workerId).ToListAsync(cancellationToken))
        {
            cursor.Lease(workerId, now);
            RegistryConcurrency.Touch(db, cursor);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Changed meanwhile; the lease lapses by itself.
        }
    }

    /// <summary>Models with a version in production (during a rollout the baseline still is): the ones monitored.</summary>
    private static IQueryable<RegisteredModelId> MonitoredModels(PortalDbContext db) =>
        db.ModelVersions.Where(v => v.Stage == ModelStage.Production).Select(v => v.ModelId).Distinct();

    private async Task EnsureCursorsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var monitored = await MonitoredModels(db).ToListAsync(cancellationToken);
        var existing = (await db.MonitoringCursors.Where(c => monitored.Contains(c.ModelId)).Select(c => new { c.ModelId, c.Kind }).ToListAsync(cancellationToken))
            .Select(c => (c.ModelId, c.Kind)).ToHashSet();
        var now = time.GetUtcNow();
        var added = 0;
        foreach (var modelId in monitored)
        {
            foreach (var kind in Kinds.Where(k => !existing.Contains((modelId, k))))
            {
                db.MonitoringCursors.Add(MonitoringCursor.Start(modelId, kind, now));
                added++;
            }
        }

        if (added == 0)
        {
            return;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another worker created them at the same moment: theirs stand.
        }
    }
}
