using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;

namespace Portal.Web.Features.Monitoring;

/// <summary>A retraining as pages show it, with the alert that set it off (if any).</summary>
public sealed record RetrainingRow(RetrainingId Id, string ModelName, RetrainingTrigger Trigger, RetrainingState State, string? Reason, DateTime CreatedUtc,
    DateTime UpdatedUtc, int? VersionNumber, PromotionRequestId? RequestId, MonitoringAlertId? AlertId, string? AlertFeature, string? AlertMessage,
    DateTime? AlertRaisedUtc, MonitoringWindowId? AlertWindowId)
{
    /// <summary>The monitoring dashboard at the alert's window and feature (or the model's dashboard for a scheduled retraining).</summary>
    public string DashboardHref => AlertWindowId is { } window
        ? $"models/{Uri.EscapeDataString(ModelName)}/monitoring?window={window}&feature={Uri.EscapeDataString(AlertFeature ?? "")}"
        : $"models/{Uri.EscapeDataString(ModelName)}/monitoring";
}

/// <summary>Reads for the model page's monitoring card and the promotion page's "why": policies, the latest retraining, a request's retraining.</summary>
public sealed class RetrainingQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<(MonitoringPolicy? Monitoring, RetrainingPolicy? Retraining)> PoliciesAsync(RegisteredModelId modelId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var model = await db.RegisteredModels.AsNoTracking().Where(m => m.Id == modelId)
            .Select(m => new { m.MonitoringPolicy, m.RetrainingPolicy }).FirstOrDefaultAsync(cancellationToken);
        return (model?.MonitoringPolicy, model?.RetrainingPolicy);
    }

    /// <summary>The model's latest retraining (running, waiting or finished); null when it was never retrained by the loop.</summary>
    public Task<RetrainingRow?> LatestAsync(RegisteredModelId modelId, CancellationToken cancellationToken) =>
        FirstAsync(r => r.ModelId == modelId, cancellationToken);

    /// <summary>The retraining that opened the promotion request, if the loop opened it.</summary>
    public Task<RetrainingRow?> ForRequestAsync(PromotionRequestId requestId, CancellationToken cancellationToken) =>
        FirstAsync(r => r.RequestId == requestId, cancellationToken);

    private async Task<RetrainingRow?> FirstAsync(System.Linq.Expressions.Expression<Func<Retraining, bool>> filter, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await (from r in db.Retrainings.AsNoTracking().Where(filter)
                      join m in db.RegisteredModels on r.ModelId equals m.Id
                      join a in db.MonitoringAlerts on r.AlertId equals (MonitoringAlertId?)a.Id into alerts
                      from a in alerts.DefaultIfEmpty()
                      orderby r.UpdatedUtc descending
                      select new RetrainingRow(r.Id, m.Name, r.Trigger, r.State, r.Reason, r.CreatedUtc, r.UpdatedUtc, r.VersionNumber, r.RequestId, r.AlertId,
                          a == null ? null : a.Feature, a == null ? null : a.Message, a == null ? null : a.RaisedUtc, a == null ? null : a.WindowId))
            .FirstOrDefaultAsync(cancellationToken);
    }
}
