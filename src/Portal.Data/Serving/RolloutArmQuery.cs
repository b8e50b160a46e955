using Microsoft.EntityFrameworkCore;
using Portal.Domain.Rollouts;
using Portal.Domain.Serving;

namespace Portal.Data.Serving;

/// <summary>
/// Counts what each arm of a rollout did over a window, aggregated in the database (one grouped query over the prediction log
/// by request time, one over ground truth by prediction time; both on the (RolloutId, time) indexes), so that judging a step
/// reads two rows per arm however much traffic it served. Same LINQ on SQLite and PostgreSQL.
/// </summary>
public static class RolloutArmQuery
{
    /// <summary>Champion and canary counts of <paramref name="rolloutId"/> over [<paramref name="fromUtc"/>, <paramref name="toUtc"/>].</summary>
    public static async Task<RolloutAnalysis> CountAsync(PortalDbContext db, RolloutId rolloutId, DateTime fromUtc, DateTime toUtc,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        RolloutId? id = rolloutId;
        var traffic = await db.PredictionBatches.AsNoTracking()
            .Where(b => b.RolloutId == id && b.ReceivedUtc >= fromUtc && b.ReceivedUtc <= toUtc)
            .GroupBy(b => b.Arm)
            .Select(g => new { Arm = g.Key, Rows = g.Sum(b => (long)b.RowCount), Errors = g.Sum(b => (long)b.ErrorCount) })
            .ToListAsync(cancellationToken);
        var truth = await db.PredictionFeedback.AsNoTracking()
            .Where(f => f.RolloutId == id && f.PredictedUtc >= fromUtc && f.PredictedUtc <= toUtc)
            .GroupBy(f => f.Arm)
            .Select(g => new
            {
                Arm = g.Key,
                Classified = g.Count(f => f.Correct != null),
                Correct = g.Count(f => f.Correct == true),
                Regression = g.Count(f => f.AbsoluteError != null),
                SumAbsolute = g.Sum(f => f.AbsoluteError ?? 0.0),
                SumSquared = g.Sum(f => (f.AbsoluteError ?? 0.0) * (f.AbsoluteError ?? 0.0)),
            })
            .ToListAsync(cancellationToken);

        RolloutArmCounts Arm(ServingArm arm)
        {
            var served = traffic.FirstOrDefault(t => t.Arm == arm);
            var labelled = truth.FirstOrDefault(t => t.Arm == arm);
            return new(served?.Rows ?? 0, served?.Errors ?? 0, labelled?.Classified ?? 0, labelled?.Correct ?? 0, labelled?.Regression ?? 0,
                labelled?.SumAbsolute ?? 0, labelled?.SumSquared ?? 0);
        }

        return new(Arm(ServingArm.Champion), Arm(ServingArm.Canary));
    }
}
