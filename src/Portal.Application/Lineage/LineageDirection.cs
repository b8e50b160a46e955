namespace Portal.Application.Lineage;

/// <summary>Which way a lineage walk follows the edges from its start node.</summary>
public enum LineageDirection
{
    /// <summary>Towards what the node came from (its data, the run that made it).</summary>
    Up,

    /// <summary>Towards what was made from the node (runs, models, promotions, deployments).</summary>
    Down,

    /// <summary>Both walks from the node, each in its own direction (not the whole connected component).</summary>
    Both,
}
