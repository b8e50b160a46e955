namespace Portal.Domain.Lineage;

/// <summary>
/// A job or dataset another system reported through OpenLineage (<see cref="LineageNodeKind.Job"/> or
/// <see cref="LineageNodeKind.ExternalDataset"/>), keyed by its namespace and name as the node id <c>namespace/name</c>.
/// The latest event's schema facet and state are kept for the graph's details panel.
/// </summary>
public sealed class ExternalLineageNode
{
    public const int MaxNamespaceLength = 200;
    public const int MaxNameLength = 199;

    private ExternalLineageNode()
    {
    }

    public LineageNodeKind Kind { get; private set; }

    /// <summary><c>namespace/name</c>: the node id.</summary>
    public string Id { get; private set; } = "";

    public string Namespace { get; private set; } = "";

    public string Name { get; private set; } = "";

    /// <summary>The schema facet's fields as JSON (<c>[{"name","type"}]</c>), when the last event carried one.</summary>
    public string? SchemaJson { get; private set; }

    /// <summary>A job's last event type (START, RUNNING, COMPLETE, ABORT, FAIL, OTHER); null for a dataset.</summary>
    public string? LastEventType { get; private set; }

    public DateTime FirstSeenUtc { get; private set; }

    public DateTime LastSeenUtc { get; private set; }

    public LineageNodeRef Ref => new(Kind, Id);

    public static string IdOf(string @namespace, string name) => $"{@namespace}/{name}";

    public static ExternalLineageNode Create(LineageNodeKind kind, string @namespace, string name, DateTimeOffset now) => new()
    {
        Kind = kind,
        Id = IdOf(@namespace, name),
        Namespace = @namespace,
        Name = name,
        FirstSeenUtc = now.UtcDateTime,
        LastSeenUtc = now.UtcDateTime,
    };

    /// <summary>Records a later event about this node.</summary>
    public void Seen(string? eventType, string? schemaJson, DateTimeOffset now)
    {
        LastEventType = eventType ?? LastEventType;
        SchemaJson = schemaJson ?? SchemaJson;
        LastSeenUtc = now.UtcDateTime;
    }
}
