using System.Diagnostics.CodeAnalysis;

namespace Portal.Domain.Lineage;

/// <summary>The stable wire names of node and edge kinds (the API's <c>kind</c> fields and node ids <c>&lt;kind&gt;:&lt;id&gt;</c>).</summary>
public static class LineageNames
{
    private static readonly Dictionary<LineageNodeKind, string> NodeNames = new()
    {
        [LineageNodeKind.Dataset] = "dataset",
        [LineageNodeKind.DatasetVersion] = "datasetVersion",
        [LineageNodeKind.Run] = "run",
        [LineageNodeKind.ModelVersion] = "modelVersion",
        [LineageNodeKind.Promotion] = "promotion",
        [LineageNodeKind.Deployment] = "deployment",
        [LineageNodeKind.Job] = "job",
        [LineageNodeKind.ExternalDataset] = "externalDataset",
    };

    private static readonly Dictionary<LineageEdgeKind, string> EdgeNames = new()
    {
        [LineageEdgeKind.UsedBy] = "used-by",
        [LineageEdgeKind.Produced] = "produced",
        [LineageEdgeKind.DerivedFrom] = "derived-from",
        [LineageEdgeKind.RegisteredAs] = "registered-as",
        [LineageEdgeKind.ApprovedBy] = "approved-by",
        [LineageEdgeKind.DeployedAs] = "deployed-as",
    };

    private static readonly Dictionary<string, LineageNodeKind> NodesByName =
        NodeNames.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>Every node kind's wire name, in declaration order.</summary>
    public static IReadOnlyList<string> NodeKindNames { get; } = [.. Enum.GetValues<LineageNodeKind>().Select(k => NodeNames[k])];

    public static string Of(LineageNodeKind kind) => NodeNames[kind];

    public static string Of(LineageEdgeKind kind) => EdgeNames[kind];

    public static bool TryParseNodeKind([NotNullWhen(true)] string? name, out LineageNodeKind kind) =>
        NodesByName.TryGetValue(name ?? "", out kind);
}
