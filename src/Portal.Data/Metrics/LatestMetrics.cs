using Microsoft.EntityFrameworkCore;
using Portal.Domain.Runs;

namespace Portal.Data.Metrics;

/// <summary>A run's final metrics: for every key, the value at its last step (the last written on a tie).</summary>
public static class LatestMetrics
{
    public static async Task<Dictionary<string, double>> LatestMetricsAsync(this PortalDbContext db, RunId runId, CancellationToken cancellationToken)
    {
        var latest = await db.RunMetrics.AsNoTracking().Where(m => m.RunId == runId)
            .GroupBy(m => m.Key)
            .Select(g => g.OrderByDescending(m => m.Step).ThenByDescending(m => m.Id).Select(m => new { m.Key, m.Value }).First())
            .ToListAsync(cancellationToken);
        return latest.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
    }
}
