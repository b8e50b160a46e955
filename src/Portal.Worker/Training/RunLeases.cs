using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Application.Lineage;
using Portal.Data;
using Portal.Data.Live;
using Portal.Domain.Runs;

namespace Portal.Worker.Training;

/// <summary>
/// Claims queued runs and recovers runs whose worker vanished. Both are optimistic: the run's status is a
/// concurrency token, so of two workers racing for one run exactly one wins.
/// </summary>
public sealed class RunLeases(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time, ILogger<RunLeases> logger,
    OpenLineageRunEvents? lineage = null)
{
    public async Task<RunId?> TryClaimAsync(string workerId, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var candidates = await db.Runs
            .Where(r => r.Status == RunStatus.Queued && r.Mode == RunMode.Managed)
            .OrderBy(r => r.SubmittedUtc)
            .Take(5)
            .ToListAsync(cancellationToken);
        foreach (var run in candidates)
        {
            var firstStart = run.StartedUtc is null;
            run.Claimed(workerId, time.GetUtcNow(), lease);
            db.PublishRunChanged(run, time.GetUtcNow());
            // One OpenLineage START per run: a retry or a run handed back by a stopping worker continues the same run.
            if (firstStart && lineage is not null)
            {
                await lineage.EnqueueAsync(db, run, cancellationToken);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return run.Id;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another worker claimed it first.
                Forget(db, run);
            }
        }

        return null;
    }

    /// <summary>Requeues (or fails, when out of attempts) every running run whose lease has expired.</summary>
    public async Task<int> RecoverExpiredAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var expired = await db.Runs
            .Where(r => r.Status == RunStatus.Running && r.Mode == RunMode.Managed && r.LeaseExpiresUtc < now.UtcDateTime)
            .ToListAsync(cancellationToken);
        var recovered = 0;
        foreach (var run in expired)
        {
            var worker = run.LeaseOwner;
            run.RecoverExpiredLease(now);
            db.PublishRunChanged(run, now, run.Status switch
            {
                RunStatus.Queued => $"Worker {worker} stopped renewing its lease; the run is queued again (attempt {run.Attempt} of {run.MaxAttempts} used).",
                RunStatus.Cancelled => $"Worker {worker} stopped renewing its lease; the run was to be cancelled, so it ends cancelled.",
                _ => run.FailureReason ?? "Lease expired.",
            });
            if (run.IsTerminal && lineage is not null)
            {
                await lineage.EnqueueAsync(db, run, cancellationToken);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                recovered++;
                logger.LogWarning("Run {RunId} lost its worker {Worker}; now {Status}.", run.Id, worker, run.Status);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another worker recovered it first; the other expired runs are still tracked and still to do.
                Forget(db, run);
            }
        }

        return recovered;
    }

    /// <summary>Drops a run whose save lost a race, with the rows added for it, and keeps the other tracked runs.</summary>
    private static void Forget(PortalDbContext db, Run run)
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added || ReferenceEquals(e.Entity, run)).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }
}
