using Portal.Domain.Lineage;

namespace Portal.Application.Lineage;

/// <summary>
/// The answer to a <see cref="LineageRequest"/>: the start node first, then the nodes found level by level, and every stored
/// edge between two of them. <see cref="Truncated"/> says the node limit stopped the walk before the depth did.
/// </summary>
public sealed record LineageGraph(LineageNodeRef Root, IReadOnlyList<LineageGraphNode> Nodes, IReadOnlyList<LineageGraphEdge> Edges, bool Truncated);

/// <summary>
/// One node of a <see cref="LineageGraph"/>: its label for people, whether personal data is in it or behind it
/// (<see cref="PersonalData"/>), for a deployment whether it serves traffic now (<see cref="Live"/>, null for other kinds),
/// its distance from the start node and the portal page that shows it (null for an external OpenLineage node).
/// </summary>
public sealed record LineageGraphNode(LineageNodeRef Ref, string Label, bool PersonalData, bool? Live, string? Url, int Level);

/// <summary>One stored edge of a <see cref="LineageGraph"/>, pointing downstream.</summary>
public sealed record LineageGraphEdge(LineageNodeRef From, LineageNodeRef To, LineageEdgeKind Kind);
