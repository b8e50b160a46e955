using Portal.Data;
using Portal.Data.Live;
using Portal.Domain.Audit;
using Portal.Domain.Live;
using Portal.Domain.Monitoring;

namespace Portal.Application.Monitoring;

/// <summary>
/// What a change of an alert tells, the same wherever it happens (the monitoring loop, a person, a rollout rolled back): its
/// audit subject and details, its webhook payload and its live events on the alerts topic and the model's monitoring topic.
/// </summary>
internal static class AlertNotices
{
    public static AuditSubject Subject(MonitoringAlert alert) => new(AuditSubjectKinds.MonitoringAlert, alert.Id.ToString());

    public static object Details(MonitoringAlert alert, string modelName) => new
    {
        model = modelName, version = alert.VersionNumber, rule = alert.Rule.ToString(), feature = alert.Feature, severity = alert.Severity.ToString(),
        message = alert.Message, windowId = alert.WindowId?.ToString(), rolloutId = alert.RolloutId?.ToString(), occurrences = alert.Occurrences,
    };

    public static object Payload(MonitoringAlert alert, string modelName) => new
    {
        alertId = alert.Id.ToString(), model = modelName, modelId = alert.ModelId.ToString(), version = alert.VersionNumber, rule = alert.Rule.ToString(),
        feature = alert.Feature, severity = alert.Severity.ToString(), status = alert.Status.ToString(), message = alert.Message,
        windowId = alert.WindowId?.ToString(), lastWindowId = alert.LastWindowId?.ToString(), rolloutId = alert.RolloutId?.ToString(),
        occurrences = alert.Occurrences, raisedUtc = alert.RaisedUtc, resolvedBy = alert.ResolvedBy, resolvedUtc = alert.ResolvedUtc, reason = alert.ResolveComment,
        dashboardPath = AlertHandling.DashboardPath(modelName, alert.WindowId, alert.RolloutId, alert.Feature),
    };

    /// <summary>The alert's change on the alerts topic (feed, badge) and on its model's monitoring topic.</summary>
    public static void PublishEverywhere(PortalDbContext db, MonitoringAlert alert, DateTimeOffset now)
    {
        db.Publish(Changed(LiveTopics.Alerts, alert), now);
        db.Publish(Changed(LiveTopics.Monitoring(alert.ModelId), alert), now);
    }

    public static AlertChanged Changed(string topic, MonitoringAlert alert) =>
        new(topic, alert.Id, alert.ModelId, alert.Rule, alert.Feature, alert.Severity, alert.Status, alert.Occurrences, alert.Message);
}
