namespace Portal.Domain.Lineage;

/// <summary>
/// One edge of the lineage graph, stored: from an upstream node to a downstream one. Edges are written in the same
/// transaction as the record they describe (a run submitted on a dataset version, a version registered from a run, a
/// promotion requested, a deployment started, an external OpenLineage event accepted) and never change afterwards.
/// </summary>
public sealed class LineageEdge
{
    private LineageEdge()
    {
    }

    public long Id { get; private set; }

    public LineageNodeKind FromKind { get; private set; }

    public string FromId { get; private set; } = "";

    public LineageNodeKind ToKind { get; private set; }

    public string ToId { get; private set; } = "";

    public LineageEdgeKind Kind { get; private set; }

    public DateTime CreatedUtc { get; private set; }

    public LineageNodeRef From => new(FromKind, FromId);

    public LineageNodeRef To => new(ToKind, ToId);

    public static LineageEdge Create(LineageNodeRef from, LineageNodeRef to, LineageEdgeKind kind, DateTimeOffset now) => new()
    {
        FromKind = from.Kind,
        FromId = from.Id,
        ToKind = to.Kind,
        ToId = to.Id,
        Kind = kind,
        CreatedUtc = now.UtcDateTime,
    };
}
