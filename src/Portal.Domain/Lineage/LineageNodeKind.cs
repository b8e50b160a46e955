namespace Portal.Domain.Lineage;

/// <summary>
/// What a lineage node is. Portal's own records (a dataset, one of its versions, a run, a model version, a promotion decision,
/// a deployment) and what external systems reported through OpenLineage (a job and the datasets it read or wrote).
/// The wire names (<see cref="LineageNames.Of(LineageNodeKind)"/>) never change once shipped.
/// </summary>
public enum LineageNodeKind
{
    Dataset,
    DatasetVersion,
    Run,
    ModelVersion,
    Promotion,
    Deployment,

    /// <summary>An OpenLineage job (namespace/name) reported by another system.</summary>
    Job,

    /// <summary>An OpenLineage dataset (namespace/name) reported by another system.</summary>
    ExternalDataset,
}

/// <summary>
/// How two lineage nodes relate; an edge always points downstream, from what came first to what was made from it.
/// </summary>
public enum LineageEdgeKind
{
    /// <summary>A dataset version (or an external dataset) was read by a run (or a job).</summary>
    UsedBy,

    /// <summary>A run (or a job) wrote a dataset version (or an external dataset).</summary>
    Produced,

    /// <summary>A dataset version belongs to, and derives from, its dataset.</summary>
    DerivedFrom,

    /// <summary>A run's model was registered as a model version.</summary>
    RegisteredAs,

    /// <summary>A model version was the subject of a promotion decision.</summary>
    ApprovedBy,

    /// <summary>An approved promotion to Production was deployed (served as champion, or as a canary during a rollout).</summary>
    DeployedAs,
}
