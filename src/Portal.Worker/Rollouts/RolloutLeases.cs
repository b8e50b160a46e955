using Microsoft.EntityFrameworkCore;
using Portal.Application.Registry;
using Portal.Data;
using Portal.Domain.Rollouts;

namespace Portal.Worker.Rollouts;

/// <summary>
/// Claims running rollouts for one driver: those it already holds and those nobody holds (or whose holder went silent). The
/// rollout's revision is its concurrency token, so of two workers racing for one, exactly one wins; a lapsed lease is taken over,
/// and the successor resumes from the step and window the rollout records.
/// </summary>
public sealed class RolloutLeases(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    public async Task<IReadOnlyList<RolloutId>> ClaimAsync(string workerId, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var candidates = await db.Rollouts
            .Where(r => r.State == RolloutState.Running && (r.LeaseOwner == null || r.LeaseOwner == workerId || r.LeaseExpiresUtc < now.UtcDateTime))
            .OrderBy(r => r.StartedUtc)
            .Take(max)
            .ToListAsync(cancellationToken);
        var claimed = new List<RolloutId>();
        foreach (var rollout in candidates)
        {
            if (!rollout.Claim(workerId, now, lease))
            {
                continue;
            }

            RegistryConcurrency.Touch(db, rollout);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                claimed.Add(rollout.Id);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another driver (or a manager) changed it first: it is theirs this round.
                db.Entry(rollout).State = EntityState.Detached;
            }
        }

        return claimed;
    }

    /// <summary>Lets this worker's leases go (on an orderly stop), so another worker takes the rollouts at once.</summary>
    public async Task ReleaseAllAsync(string workerId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var rollout in await db.Rollouts.Where(r => r.LeaseOwner == workerId).ToListAsync(cancellationToken))
        {
            rollout.Release(workerId);
            RegistryConcurrency.Touch(db, rollout);
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
}
