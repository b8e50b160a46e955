using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Runs;
using Portal.Domain.Serving;

namespace Portal.Web.Features.Serving;

/// <summary>A version that can answer predict requests: what its engine needs to be loaded.</summary>
public sealed record ServingVersion(ModelVersionId Id, int Number, string ModelSha256, IReadOnlyList<InputFeature> Signature, MlTask Task, RunId RunId);

/// <summary>The canary of a model's active rollout and its share of traffic.</summary>
public sealed record ServingRollout(RolloutId Id, ServingVersion Canary, int CanaryPercent);

/// <summary>
/// Where a model's predict requests go, as one node last read it: the champion, and the active rollout's canary with its
/// share. Immutable: a request takes one route and is answered by exactly one of its versions.
/// </summary>
public sealed record ServingRoute(RegisteredModelId ModelId, string ModelName, ServingVersion? Champion, ServingRollout? Rollout)
{
    /// <summary>The arm and version that answer a request with this routing key.</summary>
    public (ServingArm Arm, ServingVersion Version)? Choose(string? routingKey)
    {
        if (Rollout is { } rollout && (Champion is null || TrafficSplit.Choose(rollout.Id, routingKey, rollout.CanaryPercent) == ServingArm.Canary))
        {
            return Champion is null && rollout.CanaryPercent <= 0 ? null : (ServingArm.Canary, rollout.Canary);
        }

        return Champion is null ? null : (ServingArm.Champion, Champion);
    }
}
