using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Application.Monitoring;
using Portal.Application.Registry;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Data.Serving;
using Portal.Data.Webhooks;
using Portal.Domain.Audit;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Webhooks;

namespace Portal.Application.Rollouts;

/// <summary>
/// Drives one rollout a step: counts both arms over the step's window in the database, judges it (<see cref="Rollout.Judge"/>)
/// and applies the verdict in one transaction with its audit entry, live events and webhooks. Completion applies the approved
/// promotion (the canary becomes the champion with its production period, the old champion archived); failure rolls back with
/// the reason and raises an alert. Only the lease holder drives, and the rollout's revision makes any two saves on it exclusive:
/// a driver that lost a race re-reads the step it is at (a new window) and does not advance it again.
/// </summary>
public sealed class RolloutDriver(IDbContextFactory<PortalDbContext> dbFactory, AuditTrail audit, TimeProvider time, ILogger<RolloutDriver> logger)
{
    public Task<OperationResult<RolloutJudgement>> DriveAsync(RolloutId id, string workerId, TimeSpan lease, CancellationToken cancellationToken) =>
        RegistryConcurrency.RetryAsync<RolloutJudgement>(dbFactory, async db =>
        {
            var rollout = await db.Rollouts.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
            if (rollout is null)
            {
                return OperationResult<RolloutJudgement>.Fail(OperationStatus.NotFound, $"No rollout {id}.");
            }

            if (rollout.LeaseOwner != workerId)
            {
                return OperationResult<RolloutJudgement>.Fail(OperationStatus.Conflict, $"{workerId} does not hold the lease of rollout {id}.");
            }

            var now = time.GetUtcNow();
            var analysis = await RolloutArmQuery.CountAsync(db, rollout.Id, rollout.StepStartedUtc, now.UtcDateTime, cancellationToken);
            var judgement = rollout.Judge(analysis, now);
            RegistryConcurrency.Touch(db, rollout);
            if (judgement.Move is RolloutMove.NotRunning or RolloutMove.Stay)
            {
                rollout.Renew(workerId, now, lease);
                if (judgement.Move == RolloutMove.Stay)
                {
                    db.PublishRolloutAnalysed(rollout, judgement.Summary, now);
                }

                await db.SaveChangesAsync(cancellationToken);
                return OperationResult<RolloutJudgement>.Ok(judgement);
            }

            var model = await db.RegisteredModels.Include(m => m.Versions).FirstAsync(m => m.Id == rollout.ModelId, cancellationToken);
            var worker = AuditActor.Service(workerId);
            MonitoringAlert? alert = null;
            var details = new
            {
                model = model.Name, baselineVersion = rollout.BaselineVersionNumber, canaryVersion = rollout.CanaryVersionNumber, state = rollout.State.ToString(),
                step = rollout.StepIndex + 1, canaryPercent = rollout.CanaryPercent, verdict = rollout.Verdicts[^1].Summary,
            };
            switch (judgement.Move)
            {
                case RolloutMove.Advanced:
                    rollout.Renew(workerId, now, lease);
                    audit.Record(db, worker, AuditActions.RolloutStepAdvanced, AuditSubject.Rollout(rollout.Id), details);
                    db.PublishRolloutChanged(rollout, judgement.Summary, now);
                    await db.NotifyRolloutAsync(WebhookEventTypes.RolloutStepAdvanced, rollout, model.Name, judgement.Summary, now, cancellationToken);
                    break;

                case RolloutMove.Completed:
                    audit.Record(db, worker, AuditActions.RolloutCompleted, AuditSubject.Rollout(rollout.Id), details);
                    if (PromotionWorkflow.ApplyTransition(db, audit, model, rollout.Transition, worker, now) is { } refusal)
                    {
                        // The registry moved on under the rollout (it should not: approvals to Production wait for it); nothing is saved.
                        logger.LogError("Rollout {RolloutId} passed its last step but the promotion cannot be applied: {Refusal}", rollout.Id, refusal.Message);
                        return RegistryRefusals.Fail<RolloutJudgement>(refusal);
                    }

                    db.PublishRolloutChanged(rollout, judgement.Summary, now);
                    await db.NotifyRolloutAsync(WebhookEventTypes.RolloutCompleted, rollout, model.Name, judgement.Summary, now, cancellationToken);
                    await db.EnqueueModelStageChangedAsync(model, rollout.Transition, now, cancellationToken);
                    await PromotionStaleness.MarkOpenRequestsStaleAsync(db, audit, worker, r => r.ModelId == model.Id,
                        $"Version {rollout.CanaryVersionNumber} became the champion: the evidence compared against the previous one.", model.Name, now, cancellationToken);
                    break;

                default:
                    audit.Record(db, worker, AuditActions.RolloutRolledBack, AuditSubject.Rollout(rollout.Id), new { details, reason = rollout.Reason, automatic = true });
                    db.PublishRolloutChanged(rollout, judgement.Summary, now, alsoInbox: true);
                    await db.NotifyRolloutAsync(WebhookEventTypes.RolloutRolledBack, rollout, model.Name, judgement.Summary, now, cancellationToken);
                    alert = await RaiseRollbackAlertAsync(db, rollout, model.Name, worker, now, cancellationToken);
                    break;
            }

            await db.SaveChangesAsync(cancellationToken);
            if (alert is not null)
            {
                logger.LogWarning("Alert: rollout {RolloutId} of model {Model} (version {Canary} against {Baseline}) was rolled back automatically. {Reason} [alert {AlertId}]",
                    rollout.Id, model.Name, rollout.CanaryVersionNumber, rollout.BaselineVersionNumber, rollout.Reason, alert.Id);
            }
            else
            {
                logger.LogInformation("Rollout {RolloutId} of model {Model}: {Summary}", rollout.Id, model.Name, judgement.Summary);
            }

            return OperationResult<RolloutJudgement>.Ok(judgement);
        }, cancellationToken);

    /// <summary>
    /// The alert of an automatic rollback, in the rollback's transaction: on the alert feed and the model's monitoring page,
    /// audited (<c>alert.raised</c>), with its webhook; it links to the rollout and waits for a person to resolve it.
    /// </summary>
    private async Task<MonitoringAlert> RaiseRollbackAlertAsync(PortalDbContext db, Rollout rollout, string modelName, AuditActor worker, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var alert = MonitoringAlert.RaiseForRollback(MonitoringAlertId.New(now), rollout.ModelId, rollout.CanaryVersionId, rollout.CanaryVersionNumber, rollout.Id,
            $"Version {rollout.CanaryVersionNumber} failed its rollout; version {rollout.BaselineVersionNumber} stays the champion. {rollout.Reason}",
            now);
        db.MonitoringAlerts.Add(alert);
        audit.Record(db, worker, AuditActions.AlertRaised, AlertNotices.Subject(alert), AlertNotices.Details(alert, modelName));
        await db.EnqueueWebhooksAsync(WebhookEventTypes.AlertRaised, AlertNotices.Payload(alert, modelName), now, cancellationToken);
        AlertNotices.PublishEverywhere(db, alert, now);
        return alert;
    }
}
