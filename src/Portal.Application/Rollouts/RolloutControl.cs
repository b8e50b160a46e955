using Portal.Domain.Audit;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;

namespace Portal.Application.Rollouts;

/// <summary>
/// PLACEHOLDER (branch rollout-ui): the signatures of the rollout use cases that branch <c>rollouts</c> implements, so that
/// the rollout pages and the demo seeder compile on their own. The lead replaces this file with the real one at merge.
/// </summary>
public sealed class RolloutControl
{
    public Task<OperationResult<Rollout>> PauseAsync(RolloutId id, string reason, AuditActor actor, IReadOnlyCollection<string> roles, CancellationToken ct) =>
        throw new NotImplementedException();

    public Task<OperationResult<Rollout>> ResumeAsync(RolloutId id, AuditActor actor, IReadOnlyCollection<string> roles, CancellationToken ct) =>
        throw new NotImplementedException();

    public Task<OperationResult<Rollout>> AbortAsync(RolloutId id, string reason, AuditActor actor, IReadOnlyCollection<string> roles, CancellationToken ct) =>
        throw new NotImplementedException();

    public Task<OperationResult<Rollout>> RollBackAsync(RolloutId id, string reason, AuditActor actor, IReadOnlyCollection<string> roles, CancellationToken ct) =>
        throw new NotImplementedException();

    public Task<OperationResult<RolloutPolicy?>> SetPolicyAsync(RegisteredModelId modelId, RolloutPolicy? policy, AuditActor actor, IReadOnlyCollection<string> roles,
        CancellationToken ct) =>
        throw new NotImplementedException();
}
