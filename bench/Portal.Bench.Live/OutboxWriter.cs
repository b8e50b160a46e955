using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Live;
using Portal.Domain.Runs;

namespace Portal.Bench.Live;

/// <summary>
/// Writes curve points the way a standalone worker's training observer flushes them (DatabaseTrainingObserver): read
/// the run, add the metric rows, publish a <see cref="RunChanged"/> with the points, one SaveChanges, from a context that
/// belongs to no web node. The benchmark process is a separate OS process from both nodes, so every event it writes
/// reaches their subscribers only through the outbox (their poll, or PostgreSQL's NOTIFY).
/// </summary>
internal sealed class OutboxWriter(Func<PortalDbContext> openDb, TimeProvider time)
{
    /// <summary>One transaction: for each (run, point) a metric row and a RunChanged event carrying that point.</summary>
    public async Task WriteAsync(IReadOnlyList<(Guid RunId, MetricPoint Point)> events, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = openDb();
        var ids = events.Select(e => new RunId(e.RunId)).Distinct().ToList();
        var runs = await db.Runs.Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
        var stamp = RunLogLine.Stamp(now);
        foreach (var (guid, point) in events)
        {
            var runId = new RunId(guid);
            var run = runs[runId];
            db.RunMetrics.Add(new RunMetric { RunId = runId, Key = point.Key, Value = point.Value, Step = point.Step, TimestampUtc = stamp });
            db.Publish(new RunChanged(runId, run.Status, run.Progress, run.ProgressStage, [point], [], null), now);
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
