using Microsoft.EntityFrameworkCore.Metadata;

namespace Portal.Data.Serving;

/// <summary>
/// Appends logged predict requests in one transaction of its own on the context's connection, outside the change tracker:
/// EF's tracked inserts, and the UTF-16 strings of every request's rows and outputs they needed, were most of what
/// logging cost the serving path (docs/benchmarks.md, "Serving (issue 11)"). Each provider assembly implements the
/// statement its database runs fastest (ADR 0005); Portal.Data knows no provider's SQL.
/// </summary>
public abstract class PredictionLogBatchWriter
{
    // The table as the EF model maps it, read once per model rather than from the metadata on every flush (3 % of the log
    // writer's CPU time: docs/benchmarks.md, "Serving, seventh pass"). One reference, so concurrent flushes read a whole pair.
    private Mapped? mapped;

    public Task InsertAsync(PortalDbContext db, IReadOnlyList<PredictionLogRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Count == 0 ? Task.CompletedTask : InsertAsync(db, TableOf(db), rows, cancellationToken);
    }

    protected abstract Task InsertAsync(PortalDbContext db, PredictionLogTable table, IReadOnlyList<PredictionLogRow> rows, CancellationToken cancellationToken);

    private PredictionLogTable TableOf(PortalDbContext db)
    {
        var model = db.Model;
        if (mapped is not { } known || !ReferenceEquals(known.Model, model))
        {
            known = new Mapped(model, PredictionLogTable.Of(db));
            mapped = known;
        }

        return known.Table;
    }

    private sealed record Mapped(IModel Model, PredictionLogTable Table);
}
