namespace Portal.Application.Lineage;

/// <summary>What an accepted OpenLineage event became: its row, and the lineage nodes (<c>&lt;kind&gt;:&lt;id&gt;</c>) it touched.</summary>
public sealed record IngestedLineageEvent(long Id, string EventType, string RunId, string Job, IReadOnlyList<string> Nodes, int EdgesAdded);
