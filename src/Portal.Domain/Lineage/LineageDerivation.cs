using Portal.Domain.Datasets;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Runs;

namespace Portal.Domain.Lineage;

/// <summary>
/// Which lineage edges a newly recorded entity implies, stamped with that record's own time:
/// a dataset version derives from its dataset; a run (with a dataset version) uses it; a model version is registered from its
/// run, whose dataset versions the run used; a promotion request decides on a model version; a deployment is started from an
/// approved promotion to Production. A <b>deployment</b> node is identified by the id of the promotion request it carries out:
/// it starts when that version's production period opens (the promotion applied at once) or its staged rollout starts (the
/// canary takes traffic), and it is live while the period is open or the rollout active (docs/decisions/0013-lineage-graph.md).
/// </summary>
public static class LineageDerivation
{
    /// <summary>The edges <paramref name="entity"/> implies when it is first saved; none for any other kind of record.</summary>
    public static IEnumerable<LineageEdge> EdgesOf(object entity) => entity switch
    {
        DatasetVersion version => Of(version),
        Run run => Of(run),
        ModelVersion version => Of(version),
        PromotionRequest request => [Edge(Node(request.VersionId), Node(request.Id), LineageEdgeKind.ApprovedBy, request.RequestedUtc)],
        ProductionPeriod period => Deployed(period.RequestId, period.FromUtc),
        Rollout rollout => rollout.Transition is { } transition ? Deployed(transition.RequestId, rollout.StartedUtc) : [],
        _ => [],
    };

    /// <summary>The deployment node that carries out promotion request <paramref name="requestId"/>.</summary>
    public static LineageNodeRef Deployment(PromotionRequestId requestId) => new(LineageNodeKind.Deployment, requestId.ToString());

    public static LineageNodeRef Node(DatasetId id) => new(LineageNodeKind.Dataset, id.ToString());

    public static LineageNodeRef Node(DatasetVersionId id) => new(LineageNodeKind.DatasetVersion, id.ToString());

    public static LineageNodeRef Node(RunId id) => new(LineageNodeKind.Run, id.ToString());

    public static LineageNodeRef Node(ModelVersionId id) => new(LineageNodeKind.ModelVersion, id.ToString());

    public static LineageNodeRef Node(PromotionRequestId id) => new(LineageNodeKind.Promotion, id.ToString());

    /// <summary>A dataset version derives from its dataset (what <see cref="EdgesOf"/> says of a new <see cref="DatasetVersion"/>).</summary>
    public static LineageEdge VersionOf(DatasetId datasetId, DatasetVersionId versionId, DateTime createdUtc) =>
        Edge(Node(datasetId), Node(versionId), LineageEdgeKind.DerivedFrom, createdUtc);

    /// <summary>A run used a dataset version (what <see cref="EdgesOf"/> says of a new <see cref="Run"/> with one).</summary>
    public static LineageEdge UsedBy(DatasetVersionId versionId, RunId runId, DateTime atUtc) =>
        Edge(Node(versionId), Node(runId), LineageEdgeKind.UsedBy, atUtc);

    private static IEnumerable<LineageEdge> Of(DatasetVersion version) => [VersionOf(version.DatasetId, version.Id, version.CreatedUtc)];

    private static IEnumerable<LineageEdge> Of(Run run) => run.DatasetVersionId is { } data ? [UsedBy(data, run.Id, run.SubmittedUtc)] : [];

    private static IEnumerable<LineageEdge> Of(ModelVersion version)
    {
        // An external run names no dataset version of its own; the registration does.
        foreach (var data in version.DatasetVersionIds.Distinct())
        {
            yield return UsedBy(data, version.RunId, version.RegisteredUtc);
        }

        yield return Edge(Node(version.RunId), Node(version.Id), LineageEdgeKind.RegisteredAs, version.RegisteredUtc);
    }

    private static IEnumerable<LineageEdge> Deployed(PromotionRequestId requestId, DateTime atUtc) =>
        requestId == default ? [] : [Edge(Node(requestId), Deployment(requestId), LineageEdgeKind.DeployedAs, atUtc)];

    private static LineageEdge Edge(LineageNodeRef from, LineageNodeRef to, LineageEdgeKind kind, DateTime atUtc) =>
        LineageEdge.Create(from, to, kind, new DateTimeOffset(DateTime.SpecifyKind(atUtc, DateTimeKind.Utc)));
}
