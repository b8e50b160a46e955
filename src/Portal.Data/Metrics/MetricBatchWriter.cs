using Portal.Domain.Runs;

namespace Portal.Data.Metrics;

/// <summary>
/// Appends a batch of logged metric rows on the context's connection and current transaction, outside the change
/// tracker (EF's tracked per-entity <c>INSERT ... RETURNING</c> was the ingest bottleneck, docs/benchmarks.md).
/// Each provider assembly implements the statement its database runs fastest (ADR 0005); Portal.Data knows no
/// provider's SQL.
/// </summary>
public abstract class MetricBatchWriter
{
    /// <summary>Inserts <paramref name="rows"/> (their run id is <paramref name="runId"/>, whatever the rows say).</summary>
    public Task InsertAsync(PortalDbContext db, RunId runId, IReadOnlyList<RunMetric> rows, CancellationToken cancellationToken) =>
        rows.Count == 0 ? Task.CompletedTask : InsertAsync(db, MetricTable.Of(db), runId, rows, cancellationToken);

    protected abstract Task InsertAsync(PortalDbContext db, MetricTable table, RunId runId, IReadOnlyList<RunMetric> rows, CancellationToken cancellationToken);
}
