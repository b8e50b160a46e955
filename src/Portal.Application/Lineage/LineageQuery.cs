using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Datasets;
using Portal.Domain.Lineage;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Runs;

namespace Portal.Application.Lineage;

/// <summary>
/// Walks the stored lineage graph breadth-first from one node: each level is one indexed read of <c>LineageEdges</c> per node
/// kind in the frontier (by <c>(FromKind, FromId)</c> downstream, <c>(ToKind, ToId)</c> upstream, in chunks), until the depth
/// or the node limit is reached. Labels, personal-data flags, liveness and page links are then resolved per kind in batched
/// reads. A deployment is an applied promotion to Production, identified by its promotion request's id: live while that
/// version's production period is open or its staged rollout is active (docs/decisions/0013-lineage-graph.md).
/// </summary>
public sealed class LineageQuery(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>How many ids one <c>IN (...)</c> carries: well under every provider's parameter limit.</summary>
    internal const int ChunkSize = 500;

    /// <summary>Kinds an upstream search for the training data passes through (never beyond a dataset version: its own columns decide).</summary>
    private static readonly LineageNodeKind[] TrainingPath =
        [LineageNodeKind.DatasetVersion, LineageNodeKind.Run, LineageNodeKind.ModelVersion, LineageNodeKind.Promotion, LineageNodeKind.Deployment];

    /// <summary>The graph around the request's node; NotFound when the node is not known, Invalid when the request is out of range.</summary>
    public async Task<OperationResult<LineageGraph>> GetAsync(LineageRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await GetAsync(db, request, cancellationToken);
    }

    /// <summary>The same walk on the caller's context (e.g. a report that walks from many nodes in one unit of work).</summary>
    public static async Task<OperationResult<LineageGraph>> GetAsync(PortalDbContext db, LineageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Problem() is { } problem)
        {
            return OperationResult<LineageGraph>.Fail(OperationStatus.Invalid, problem);
        }

        request = request with { Node = Canonical(request.Node) };
        var root = await DescribeAsync(db, [request.Node], cancellationToken);
        if (!root.ContainsKey(request.Node))
        {
            return OperationResult<LineageGraph>.Fail(OperationStatus.NotFound,
                $"There is no {LineageNames.Of(request.Node.Kind)} with id '{request.Node.Id}' in the lineage graph.");
        }

        var levels = new Dictionary<LineageNodeRef, int> { [request.Node] = 0 };
        var edges = new HashSet<LineageGraphEdge>();
        var truncated = false;
        if (request.Direction is LineageDirection.Down or LineageDirection.Both)
        {
            truncated |= await WalkAsync(db, request, downstream: true, levels, edges, cancellationToken);
        }

        if (request.Direction is LineageDirection.Up or LineageDirection.Both)
        {
            truncated |= await WalkAsync(db, request, downstream: false, levels, edges, cancellationToken);
        }

        var described = await DescribeAsync(db, [.. levels.Keys.Where(k => k != request.Node)], cancellationToken);
        described[request.Node] = root[request.Node];
        var personal = await PersonalDataAsync(db, [.. levels.Keys], cancellationToken);

        var nodes = levels
            .OrderBy(p => p.Value)
            .Select(p => described.TryGetValue(p.Key, out var d)
                ? new LineageGraphNode(p.Key, d.Label, personal.Contains(p.Key), d.Live, d.Url, p.Value)
                : new LineageGraphNode(p.Key, $"{LineageNames.Of(p.Key.Kind)} {p.Key.Id} (no longer recorded)", personal.Contains(p.Key), null, null, p.Value))
            .ToList();
        var ordered = edges.Where(e => levels.ContainsKey(e.From) && levels.ContainsKey(e.To))
            .OrderBy(e => levels[e.From]).ThenBy(e => e.From.Key, StringComparer.Ordinal).ThenBy(e => e.To.Key, StringComparer.Ordinal)
            .ToList();
        return OperationResult<LineageGraph>.Ok(new LineageGraph(request.Node, nodes, ordered, truncated));
    }

    /// <summary>One direction's breadth-first walk; true when the node limit cut it short.</summary>
    private static async Task<bool> WalkAsync(PortalDbContext db, LineageRequest request, bool downstream, Dictionary<LineageNodeRef, int> levels,
        HashSet<LineageGraphEdge> edges, CancellationToken cancellationToken)
    {
        var frontier = new List<LineageNodeRef> { request.Node };
        for (var level = 1; level <= request.Depth && frontier.Count > 0; level++)
        {
            var found = await NeighboursAsync(db, frontier, downstream, cancellationToken);
            var next = new List<LineageNodeRef>();
            foreach (var edge in found)
            {
                var other = downstream ? edge.To : edge.From;
                if (!levels.ContainsKey(other))
                {
                    if (levels.Count >= request.MaxNodes)
                    {
                        return true;
                    }

                    levels[other] = level;
                    next.Add(other);
                }

                edges.Add(edge);
            }

            frontier = next;
        }

        return false;
    }

    /// <summary>The edges leaving (downstream) or entering (upstream) the frontier: one read per kind and chunk of ids.</summary>
    internal static async Task<List<LineageGraphEdge>> NeighboursAsync(PortalDbContext db, IReadOnlyCollection<LineageNodeRef> frontier, bool downstream,
        CancellationToken cancellationToken)
    {
        var found = new List<LineageGraphEdge>();
        foreach (var group in frontier.GroupBy(n => n.Kind))
        {
            var kind = group.Key;
            foreach (var chunk in group.Select(n => n.Id).Distinct(StringComparer.Ordinal).Chunk(ChunkSize))
            {
                var ids = chunk.ToList();
                var query = downstream
                    ? db.LineageEdges.AsNoTracking().Where(e => e.FromKind == kind && ids.Contains(e.FromId))
                    : db.LineageEdges.AsNoTracking().Where(e => e.ToKind == kind && ids.Contains(e.ToId));
                var rows = await query
                    .OrderBy(e => e.Id)
                    .Select(e => new { e.FromKind, e.FromId, e.ToKind, e.ToId, e.Kind })
                    .ToListAsync(cancellationToken);
                found.AddRange(rows.Select(r => new LineageGraphEdge(new(r.FromKind, r.FromId), new(r.ToKind, r.ToId), r.Kind)));
            }
        }

        return found;
    }

    private sealed record Description(string Label, bool? Live, string? Url);

    /// <summary>Label, liveness and page of each known node, one batched read per kind; an unknown node has no entry.</summary>
    private static async Task<Dictionary<LineageNodeRef, Description>> DescribeAsync(PortalDbContext db, IReadOnlyCollection<LineageNodeRef> nodes,
        CancellationToken cancellationToken)
    {
        var described = new Dictionary<LineageNodeRef, Description>();
        foreach (var group in nodes.GroupBy(n => n.Kind))
        {
            foreach (var chunk in group.Chunk(ChunkSize))
            {
                switch (group.Key)
                {
                    case LineageNodeKind.Dataset:
                        await DescribeDatasetsAsync(db, chunk, described, cancellationToken);
                        break;
                    case LineageNodeKind.DatasetVersion:
                        await DescribeDatasetVersionsAsync(db, chunk, described, cancellationToken);
                        break;
                    case LineageNodeKind.Run:
                        await DescribeRunsAsync(db, chunk, described, cancellationToken);
                        break;
                    case LineageNodeKind.ModelVersion:
                        await DescribeModelVersionsAsync(db, chunk, described, cancellationToken);
                        break;
                    case LineageNodeKind.Promotion:
                        await DescribePromotionsAsync(db, chunk, described, deployments: false, cancellationToken);
                        break;
                    case LineageNodeKind.Deployment:
                        await DescribePromotionsAsync(db, chunk, described, deployments: true, cancellationToken);
                        break;
                    default:
                        await DescribeExternalAsync(db, group.Key, chunk, described, cancellationToken);
                        break;
                }
            }
        }

        return described;
    }

    private static async Task DescribeDatasetsAsync(PortalDbContext db, LineageNodeRef[] nodes, Dictionary<LineageNodeRef, Description> into,
        CancellationToken cancellationToken)
    {
        var ids = Guids(nodes).Select(DatasetId.From).ToList();
        var rows = await db.Datasets.AsNoTracking().Where(d => ids.Contains(d.Id)).Select(d => new { d.Id, d.Name }).ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            into[new(LineageNodeKind.Dataset, row.Id.ToString())] = new(row.Name, null, $"/datasets/{row.Id}");
        }
    }

    private static async Task DescribeDatasetVersionsAsync(PortalDbContext db, LineageNodeRef[] nodes, Dictionary<LineageNodeRef, Description> into,
        CancellationToken cancellationToken)
    {
        var ids = Guids(nodes).Select(DatasetVersionId.From).ToList();
        var rows = await (from v in db.DatasetVersions.AsNoTracking()
                          join d in db.Datasets.AsNoTracking() on v.DatasetId equals d.Id
                          where ids.Contains(v.Id)
                          select new { v.Id, v.DatasetId, d.Name, v.Version, v.PurgedUtc })
            .ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            var label = string.Create(CultureInfo.InvariantCulture, $"{row.Name} v{row.Version}{(row.PurgedUtc is null ? "" : " (purged)")}");
            into[new(LineageNodeKind.DatasetVersion, row.Id.ToString())] = new(label, null,
                string.Create(CultureInfo.InvariantCulture, $"/datasets/{row.DatasetId}?version={row.Version}"));
        }
    }

    private static async Task DescribeRunsAsync(PortalDbContext db, LineageNodeRef[] nodes, Dictionary<LineageNodeRef, Description> into,
        CancellationToken cancellationToken)
    {
        var ids = Guids(nodes).Select(RunId.From).ToList();
        var rows = await (from r in db.Runs.AsNoTracking()
                          join e in db.Experiments.AsNoTracking() on r.ExperimentId equals e.Id
                          where ids.Contains(r.Id)
                          select new { r.Id, Experiment = e.Name, r.Trainer, r.Mode, r.Status })
            .ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            var trainer = row.Trainer ?? (row.Mode == RunMode.External ? "external run" : "run");
            var label = $"{trainer} in {row.Experiment} ({row.Id.ToString()[..8]}, {row.Status})";
            into[new(LineageNodeKind.Run, row.Id.ToString())] = new(label, null, $"/runs/{row.Id}");
        }
    }

    private static async Task DescribeModelVersionsAsync(PortalDbContext db, LineageNodeRef[] nodes, Dictionary<LineageNodeRef, Description> into,
        CancellationToken cancellationToken)
    {
        var ids = Guids(nodes).Select(ModelVersionId.From).ToList();
        var rows = await (from v in db.ModelVersions.AsNoTracking()
                          join m in db.RegisteredModels.AsNoTracking() on v.ModelId equals m.Id
                          where ids.Contains(v.Id)
                          select new { v.Id, m.Name, v.Number, v.Stage })
            .ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            var label = string.Create(CultureInfo.InvariantCulture, $"{row.Name} v{row.Number}{(row.Stage == ModelStage.None ? "" : $" ({row.Stage})")}");
            into[new(LineageNodeKind.ModelVersion, row.Id.ToString())] = new(label, null,
                string.Create(CultureInfo.InvariantCulture, $"/models/{Uri.EscapeDataString(row.Name)}/versions/{row.Number}"));
        }
    }

    /// <summary>A promotion, or the deployment it became (same id: the request's), from the promotion request and its model.</summary>
    private static async Task DescribePromotionsAsync(PortalDbContext db, LineageNodeRef[] nodes, Dictionary<LineageNodeRef, Description> into,
        bool deployments, CancellationToken cancellationToken)
    {
        var ids = Guids(nodes).Select(PromotionRequestId.From).ToList();
        var rows = await (from p in db.PromotionRequests.AsNoTracking()
                          join m in db.RegisteredModels.AsNoTracking() on p.ModelId equals m.Id
                          where ids.Contains(p.Id)
                          select new { p.Id, m.Name, p.VersionNumber, p.TargetStage, p.Status })
            .ToListAsync(cancellationToken);
        var live = deployments ? await LiveDeploymentsAsync(db, ids, cancellationToken) : [];
        foreach (var row in rows)
        {
            if (deployments)
            {
                var isLive = live.Contains(row.Id);
                var label = string.Create(CultureInfo.InvariantCulture, $"{row.Name} v{row.VersionNumber} in production ({(isLive ? "live" : "retired")})");
                into[new(LineageNodeKind.Deployment, row.Id.ToString())] = new(label, isLive, $"/models/{Uri.EscapeDataString(row.Name)}");
            }
            else
            {
                var label = string.Create(CultureInfo.InvariantCulture, $"{row.Name} v{row.VersionNumber} → {row.TargetStage} ({row.Status})");
                into[new(LineageNodeKind.Promotion, row.Id.ToString())] = new(label, null, $"/promotions/{row.Id}");
            }
        }
    }

    /// <summary>Which of these deployments serve traffic now: the version's production period is open, or its rollout is active.</summary>
    private static async Task<HashSet<PromotionRequestId>> LiveDeploymentsAsync(PortalDbContext db, List<PromotionRequestId> ids, CancellationToken cancellationToken)
    {
        var open = await db.RegisteredModels.AsNoTracking()
            .SelectMany(m => m.ProductionHistory)
            .Where(p => p.ToUtc == null && ids.Contains(p.RequestId))
            .Select(p => p.RequestId)
            .ToListAsync(cancellationToken);
        // Active rollouts are few (at most one per model); their request id is inside the transition's JSON.
        var rolling = await db.Rollouts.AsNoTracking()
            .Where(r => r.State == RolloutState.Running || r.State == RolloutState.Paused)
            .Select(r => r.Transition)
            .ToListAsync(cancellationToken);
        var wanted = ids.ToHashSet();
        return [.. open, .. rolling.Select(t => t.RequestId).Where(wanted.Contains)];
    }

    private static async Task DescribeExternalAsync(PortalDbContext db, LineageNodeKind kind, LineageNodeRef[] nodes, Dictionary<LineageNodeRef, Description> into,
        CancellationToken cancellationToken)
    {
        var ids = nodes.Select(n => n.Id).ToList();
        var rows = await db.ExternalLineageNodes.AsNoTracking()
            .Where(n => n.Kind == kind && ids.Contains(n.Id))
            .Select(n => new { n.Id, n.Namespace, n.Name, n.LastEventType })
            .ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            var state = row.LastEventType is null ? "" : $", {row.LastEventType}";
            into[new(kind, row.Id)] = new($"{row.Name} ({row.Namespace}{state})", null, null);
        }
    }

    /// <summary>
    /// Which nodes hold or were made from personal data: a dataset version with a column classified Personal or SpecialCategory,
    /// or suspected and not yet classified; a dataset with such a version; a run, model version, promotion or deployment whose
    /// training data (found upstream through the stored edges, whatever the walk's depth) is such a version.
    /// </summary>
    internal static async Task<HashSet<LineageNodeRef>> PersonalDataAsync(PortalDbContext db, IReadOnlyCollection<LineageNodeRef> nodes,
        CancellationToken cancellationToken)
    {
        var personal = new HashSet<LineageNodeRef>();
        var versions = nodes.Where(n => n.Kind == LineageNodeKind.DatasetVersion).ToHashSet();

        // Upstream from every run, model version, promotion and deployment to the dataset versions it was trained on.
        var origins = nodes.Where(n => n.Kind is LineageNodeKind.Run or LineageNodeKind.ModelVersion or LineageNodeKind.Promotion or LineageNodeKind.Deployment)
            .ToDictionary(n => n, n => new HashSet<LineageNodeRef> { n });
        var trainedOn = new Dictionary<LineageNodeRef, HashSet<LineageNodeRef>>();
        var frontier = origins;
        for (var step = 0; step < TrainingPath.Length && frontier.Count > 0; step++)
        {
            var next = new Dictionary<LineageNodeRef, HashSet<LineageNodeRef>>();
            foreach (var edge in await NeighboursAsync(db, frontier.Keys, downstream: false, cancellationToken))
            {
                if (!TrainingPath.Contains(edge.From.Kind) || edge.From.Kind == edge.To.Kind)
                {
                    continue;
                }

                var into = edge.From.Kind == LineageNodeKind.DatasetVersion ? trainedOn : next;
                if (!into.TryGetValue(edge.From, out var set))
                {
                    into[edge.From] = set = [];
                }

                set.UnionWith(frontier[edge.To]);
            }

            frontier = next;
        }

        versions.UnionWith(trainedOn.Keys);
        var personalVersions = await PersonalVersionsAsync(db, versions, cancellationToken);
        foreach (var version in personalVersions)
        {
            personal.Add(version);
            if (trainedOn.TryGetValue(version, out var reached))
            {
                personal.UnionWith(reached);
            }
        }

        var datasets = Guids(nodes.Where(n => n.Kind == LineageNodeKind.Dataset)).Select(DatasetId.From).ToList();
        foreach (var chunk in datasets.Chunk(ChunkSize))
        {
            var ids = chunk.ToList();
            var withPersonal = await (from c in db.DatasetColumns.AsNoTracking()
                                      join v in db.DatasetVersions.AsNoTracking() on c.DatasetVersionId equals v.Id
                                      where ids.Contains(v.DatasetId) && (c.Classification == DataClassification.Personal
                                          || c.Classification == DataClassification.SpecialCategory
                                          || (c.PersonalDataSuspected && c.Classification == DataClassification.Unclassified))
                                      select v.DatasetId)
                .Distinct()
                .ToListAsync(cancellationToken);
            personal.UnionWith(withPersonal.Select(id => new LineageNodeRef(LineageNodeKind.Dataset, id.ToString())));
        }

        return personal;
    }

    private static async Task<List<LineageNodeRef>> PersonalVersionsAsync(PortalDbContext db, IEnumerable<LineageNodeRef> versions, CancellationToken cancellationToken)
    {
        var found = new List<LineageNodeRef>();
        foreach (var chunk in Guids(versions).Select(DatasetVersionId.From).Chunk(ChunkSize))
        {
            var ids = chunk.ToList();
            var rows = await db.DatasetColumns.AsNoTracking()
                .Where(c => ids.Contains(c.DatasetVersionId) && (c.Classification == DataClassification.Personal
                    || c.Classification == DataClassification.SpecialCategory
                    || (c.PersonalDataSuspected && c.Classification == DataClassification.Unclassified)))
                .Select(c => c.DatasetVersionId)
                .Distinct()
                .ToListAsync(cancellationToken);
            found.AddRange(rows.Select(id => new LineageNodeRef(LineageNodeKind.DatasetVersion, id.ToString())));
        }

        return found;
    }

    /// <summary>Portal's own ids are stored as lower-case uuids with hyphens; an external node's id is kept as given.</summary>
    private static LineageNodeRef Canonical(LineageNodeRef node) =>
        node.Kind is not (LineageNodeKind.Job or LineageNodeKind.ExternalDataset) && Guid.TryParse(node.Id, out var id)
            ? node with { Id = id.ToString("D") }
            : node;

    /// <summary>The ids that are uuids, written the way the typed ids write themselves (an id that is not one matches nothing).</summary>
    private static IEnumerable<Guid> Guids(IEnumerable<LineageNodeRef> nodes) =>
        nodes.Select(n => Guid.TryParse(n.Id, out var id) ? id : (Guid?)null).OfType<Guid>().Distinct();
}
