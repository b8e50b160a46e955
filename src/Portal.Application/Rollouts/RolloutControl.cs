using Microsoft.EntityFrameworkCore;
using Portal.Application.Registry;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Security;
using Portal.Domain.Webhooks;

namespace Portal.Application.Rollouts;

/// <summary>
/// A manager's hands on staged rollouts: pause, resume, abort, roll back, and the model's rollout policy. Who may is the
/// domain's (<see cref="Rollout.MayControl"/>); each change commits with its audit entry, live events and webhooks in one
/// transaction, and of a manager and the driver changing one rollout at once, one commits and the other decides again.
/// </summary>
public sealed class RolloutControl(IDbContextFactory<PortalDbContext> dbFactory, AuditTrail audit, TimeProvider time)
{
    public Task<OperationResult<Rollout>> PauseAsync(RolloutId id, string reason, AuditActor actor, IReadOnlyCollection<string> roles,
        CancellationToken cancellationToken) =>
        ChangeAsync(id, actor, roles, (rollout, now) => rollout.Pause(actor.Name, roles, reason), AuditActions.RolloutPaused, null, reason, cancellationToken);

    public Task<OperationResult<Rollout>> ResumeAsync(RolloutId id, AuditActor actor, IReadOnlyCollection<string> roles, CancellationToken cancellationToken) =>
        ChangeAsync(id, actor, roles, (rollout, now) => rollout.Resume(actor.Name, roles, now), AuditActions.RolloutResumed, null, null, cancellationToken);

    public Task<OperationResult<Rollout>> AbortAsync(RolloutId id, string reason, AuditActor actor, IReadOnlyCollection<string> roles,
        CancellationToken cancellationToken) =>
        ChangeAsync(id, actor, roles, (rollout, now) => rollout.Abort(actor.Name, roles, reason, now), AuditActions.RolloutAborted,
            WebhookEventTypes.RolloutAborted, reason, cancellationToken);

    public Task<OperationResult<Rollout>> RollBackAsync(RolloutId id, string reason, AuditActor actor, IReadOnlyCollection<string> roles,
        CancellationToken cancellationToken) =>
        ChangeAsync(id, actor, roles, (rollout, now) => rollout.RollBack(actor.Name, roles, reason, now), AuditActions.RolloutRolledBack,
            WebhookEventTypes.RolloutRolledBack, reason, cancellationToken);

    /// <summary>Sets (or, with null, clears) how the model's approved challengers reach Production; running rollouts keep theirs.</summary>
    public Task<OperationResult<RolloutPolicy?>> SetPolicyAsync(RegisteredModelId modelId, RolloutPolicy? policy, AuditActor actor,
        IReadOnlyCollection<string> roles, CancellationToken cancellationToken) =>
        RegistryConcurrency.RetryAsync<RolloutPolicy?>(dbFactory, async db =>
        {
            if (!AuthorizationMatrix.IsAllowed(Policies.ManageRollouts, roles))
            {
                return OperationResult<RolloutPolicy?>.Fail(OperationStatus.Forbidden, "Only a business manager or an administrator may set a model's rollout policy.");
            }

            var model = await db.RegisteredModels.FirstOrDefaultAsync(m => m.Id == modelId, cancellationToken);
            if (model is null)
            {
                return OperationResult<RolloutPolicy?>.Fail(OperationStatus.NotFound, $"No model {modelId}.");
            }

            var before = model.RolloutPolicy;
            if (model.SetRolloutPolicy(policy, roles).Refusal is { } refusal)
            {
                return RegistryRefusals.Fail<RolloutPolicy?>(refusal);
            }

            var now = time.GetUtcNow();
            RegistryConcurrency.Touch(db, model);
            audit.Record(db, actor, AuditActions.RolloutPolicySet, AuditSubject.RegisteredModel(model.Id),
                new { model = model.Name, policy = policy?.Describe(), previous = before?.Describe() });
            db.PublishModelChanged(model, policy is null ? "promotes at once (no rollout policy)" : $"rollout policy {policy.Describe()}", now);
            await db.SaveChangesAsync(cancellationToken);
            return OperationResult<RolloutPolicy?>.Ok(model.RolloutPolicy);
        }, cancellationToken);

    private Task<OperationResult<Rollout>> ChangeAsync(RolloutId id, AuditActor actor, IReadOnlyCollection<string> roles,
        Func<Rollout, DateTimeOffset, RegistryResult> change, AuditAction action, string? webhook, string? reason, CancellationToken cancellationToken) =>
        RegistryConcurrency.RetryAsync<Rollout>(dbFactory, async db =>
        {
            if (!AuthorizationMatrix.IsAllowed(Policies.ManageRollouts, roles))
            {
                return OperationResult<Rollout>.Fail(OperationStatus.Forbidden, "Only a business manager or an administrator may change a rollout.");
            }

            var rollout = await db.Rollouts.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
            if (rollout is null)
            {
                return OperationResult<Rollout>.Fail(OperationStatus.NotFound, $"No rollout {id}.");
            }

            var now = time.GetUtcNow();
            if (change(rollout, now).Refusal is { } refusal)
            {
                return RegistryRefusals.Fail<Rollout>(refusal);
            }

            var modelName = await db.RegisteredModels.Where(m => m.Id == rollout.ModelId).Select(m => m.Name).FirstAsync(cancellationToken);
            RegistryConcurrency.Touch(db, rollout);
            var summary = rollout.Reason ?? action.DisplayText;
            audit.Record(db, actor, action, AuditSubject.Rollout(rollout.Id),
                new
                {
                    model = modelName, baselineVersion = rollout.BaselineVersionNumber, canaryVersion = rollout.CanaryVersionNumber,
                    state = rollout.State.ToString(), step = rollout.StepIndex + 1, canaryPercent = rollout.CanaryPercent, reason = reason ?? "",
                });
            db.PublishRolloutChanged(rollout, summary, now);
            if (webhook is not null)
            {
                await db.NotifyRolloutAsync(webhook, rollout, modelName, summary, now, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            return OperationResult<Rollout>.Ok(rollout);
        }, cancellationToken);
}
