using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Registry;

namespace Portal.Worker.Promotions;

/// <summary>
/// Claims queued promotion evaluations, oldest first, for one worker at a time: the job's lease owner is a concurrency token,
/// so of two workers (in one process or several) racing for one job, exactly one wins; a lapsed lease is taken over.
/// </summary>
public sealed class PromotionEvaluationLeases(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    public async Task<PromotionRequestId?> TryClaimAsync(string workerId, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var candidates = await db.PromotionEvaluationJobs
            .Where(j => !j.GaveUp && (j.LeaseOwner == null || j.LeaseExpiresUtc < now.UtcDateTime))
            .OrderBy(j => j.QueuedUtc)
            .Take(5)
            .ToListAsync(cancellationToken);
        foreach (var job in candidates)
        {
            job.Claim(workerId, now, lease);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return job.RequestId;
            }
            catch (DbUpdateConcurrencyException)
            {
                db.Entry(job).State = EntityState.Detached;
            }
        }

        return null;
    }

    /// <summary>Records progress and renews the lease; false when this worker no longer holds the job (taken over, or the request was re-queued).</summary>
    public async Task<bool> ReportAsync(PromotionRequestId requestId, string workerId, double progress, string stage, TimeSpan lease,
        CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.PromotionEvaluationJobs.FirstOrDefaultAsync(j => j.RequestId == requestId, cancellationToken);
        if (job is null || job.LeaseOwner != workerId)
        {
            return false;
        }

        job.Report(progress, stage, time.GetUtcNow(), lease);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    /// <summary>Releases a failed attempt for another try, or (out of attempts) leaves it recorded as failed with its error.</summary>
    public async Task FailAsync(PromotionRequestId requestId, string workerId, string error, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.PromotionEvaluationJobs.FirstOrDefaultAsync(j => j.RequestId == requestId, cancellationToken);
        if (job is null || job.LeaseOwner != workerId)
        {
            return;
        }

        job.Failed(error);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Taken over meanwhile: the other worker's attempt stands.
        }
    }
}
