using Microsoft.EntityFrameworkCore;
using Portal.Application.Registry;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Data.Live;
using Portal.Data.Webhooks;
using Portal.Domain.Audit;
using Portal.Domain.Live;
using Portal.Domain.Monitoring;
using Portal.Domain.Rollouts;
using Portal.Domain.Webhooks;

namespace Portal.Application.Monitoring;

/// <summary>
/// What people do with a monitoring alert: acknowledge it with a comment (someone is on it) and resolve it. Who may is the
/// domain's (<see cref="MonitoringAlert.MayHandle"/>). Each change commits with its audit entry, its webhooks and its live
/// events in one transaction; of a person and the monitoring loop (repeating the alert) changing it at once, one commits
/// and the other re-reads and decides again.
/// </summary>
public sealed class AlertHandling(IDbContextFactory<PortalDbContext> dbFactory, AuditTrail audit, TimeProvider time)
{
    public Task<OperationResult<MonitoringAlert>> AcknowledgeAsync(MonitoringAlertId id, string comment, AuditActor actor, IReadOnlyCollection<string> roles,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return ChangeAsync(id, (alert, now) => alert.Acknowledge(actor.Name, roles, comment ?? "", now), actor, AuditActions.AlertAcknowledged,
            WebhookEventTypes.AlertAcknowledged, cancellationToken);
    }

    public Task<OperationResult<MonitoringAlert>> ResolveAsync(MonitoringAlertId id, string? comment, AuditActor actor, IReadOnlyCollection<string> roles,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return ChangeAsync(id, (alert, now) => alert.Resolve(actor.Name, roles, comment, now), actor, AuditActions.AlertResolved,
            WebhookEventTypes.AlertResolved, cancellationToken);
    }

    /// <summary>
    /// Where an alert is looked at: its model's monitoring dashboard at the window and feature that raised it, or the rollout
    /// page of a rollback.
    /// </summary>
    public static string DashboardPath(string modelName, MonitoringWindowId? windowId, RolloutId? rolloutId, string feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (rolloutId is { } rollout)
        {
            return $"/rollouts/{rollout}";
        }

        var path = $"/models/{Uri.EscapeDataString(modelName)}/monitoring" + (windowId is { } window ? $"?window={window}" : "");
        return feature.Length == 0 ? path : $"{path}{(windowId is null ? '?' : '&')}feature={Uri.EscapeDataString(feature)}";
    }

    private Task<OperationResult<MonitoringAlert>> ChangeAsync(MonitoringAlertId id, Func<MonitoringAlert, DateTimeOffset, Domain.Registry.RegistryResult> change,
        AuditActor actor, AuditAction action, string webhook, CancellationToken cancellationToken) =>
        RegistryConcurrency.RetryAsync<MonitoringAlert>(dbFactory, async db =>
        {
            var alert = await db.MonitoringAlerts.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
            if (alert is null)
            {
                return OperationResult<MonitoringAlert>.Fail(OperationStatus.NotFound, $"No alert {id}.");
            }

            var now = time.GetUtcNow();
            if (change(alert, now).Refusal is { } refusal)
            {
                return RegistryRefusals.Fail<MonitoringAlert>(refusal);
            }

            var modelName = await db.RegisteredModels.Where(m => m.Id == alert.ModelId).Select(m => m.Name).FirstAsync(cancellationToken);
            var comment = alert.Status == AlertStatus.Acknowledged ? alert.AcknowledgeComment : alert.ResolveComment;
            RegistryConcurrency.Touch(db, alert);
            audit.Record(db, actor, action, AlertNotices.Subject(alert),
                new
                {
                    model = modelName, version = alert.VersionNumber, rule = alert.Rule.ToString(), feature = alert.Feature, severity = alert.Severity.ToString(),
                    status = alert.Status.ToString(), comment = comment ?? "", window = alert.WindowId?.ToString(), rollout = alert.RolloutId?.ToString(),
                });
            AlertNotices.PublishEverywhere(db, alert, now);

            await db.EnqueueWebhooksAsync(webhook, new
            {
                alertId = alert.Id.ToString(),
                model = modelName,
                version = alert.VersionNumber,
                rule = alert.Rule.ToString(),
                feature = alert.Feature,
                severity = alert.Severity.ToString(),
                status = alert.Status.ToString(),
                message = alert.Message,
                windowId = alert.WindowId?.ToString(),
                rolloutId = alert.RolloutId?.ToString(),
                occurrences = alert.Occurrences,
                by = actor.Name,
                comment,
                dashboardPath = DashboardPath(modelName, alert.WindowId, alert.RolloutId, alert.Feature),
            }, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return OperationResult<MonitoringAlert>.Ok(alert);
        }, cancellationToken);
}
