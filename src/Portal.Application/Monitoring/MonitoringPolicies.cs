using Microsoft.EntityFrameworkCore;
using Portal.Application.Registry;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Security;

namespace Portal.Application.Monitoring;

/// <summary>
/// A model's monitoring thresholds and retraining policy: set (or, with null, reset to the defaults / clear) by a data scientist, a
/// business manager or an administrator. Who may and what is valid is the domain's (<see cref="RegisteredModel.SetMonitoringPolicy"/>);
/// each change commits with its audit entry and the model's live event in one transaction.
/// </summary>
public sealed class MonitoringPolicies(IDbContextFactory<PortalDbContext> dbFactory, AuditTrail audit, TimeProvider time)
{
    /// <summary>Sets the monitoring thresholds; null resets the model to <see cref="MonitoringPolicy.Default"/>.</summary>
    public Task<OperationResult<MonitoringPolicy?>> SetMonitoringAsync(string? modelName, MonitoringPolicy? policy, AuditActor actor,
        IReadOnlyCollection<string> roles, CancellationToken cancellationToken) =>
        SetAsync(modelName, actor, roles, AuditActions.MonitoringPolicySet,
            model => (model.MonitoringPolicy, model.SetMonitoringPolicy(policy, roles)),
            model => model.MonitoringPolicy,
            set => set is null ? "monitoring thresholds reset to the defaults" : "monitoring thresholds set",
            cancellationToken);

    /// <summary>Sets the retraining policy; null stops the model from being retrained by the loop.</summary>
    public Task<OperationResult<RetrainingPolicy?>> SetRetrainingAsync(string? modelName, RetrainingPolicy? policy, AuditActor actor,
        IReadOnlyCollection<string> roles, CancellationToken cancellationToken) =>
        SetAsync(modelName, actor, roles, AuditActions.RetrainingPolicySet,
            model => (model.RetrainingPolicy, model.SetRetrainingPolicy(policy, roles)),
            model => model.RetrainingPolicy,
            set => set is null ? "retraining policy cleared" : "retraining policy set",
            cancellationToken);

    private Task<OperationResult<T?>> SetAsync<T>(string? modelName, AuditActor actor, IReadOnlyCollection<string> roles, AuditAction action,
        Func<RegisteredModel, (T? Before, RegistryResult Result)> change, Func<RegisteredModel, T?> after, Func<T?, string> describe,
        CancellationToken cancellationToken)
        where T : class =>
        RegistryConcurrency.RetryAsync<T?>(dbFactory, async db =>
        {
            if (!AuthorizationMatrix.IsAllowed(Policies.ManageMonitoring, roles))
            {
                return OperationResult<T?>.Fail(OperationStatus.Forbidden, "Only a data scientist, a business manager or an administrator may set a model's monitoring and retraining policies.");
            }

            var model = await ModelRegistry.FindAsync(db, modelName, cancellationToken);
            if (model is null)
            {
                return ModelRegistry.NoModel<T?>(modelName);
            }

            var (before, result) = change(model);
            if (result.Refusal is { } refusal)
            {
                return RegistryRefusals.Fail<T?>(refusal);
            }

            var now = time.GetUtcNow();
            var policy = after(model);
            RegistryConcurrency.Touch(db, model);
            audit.Record(db, actor, action, AuditSubject.RegisteredModel(model.Id), new { model = model.Name, policy, previous = before });
            db.PublishModelChanged(model, describe(policy), now);
            await db.SaveChangesAsync(cancellationToken);
            return OperationResult<T?>.Ok(policy);
        }, cancellationToken);
}
