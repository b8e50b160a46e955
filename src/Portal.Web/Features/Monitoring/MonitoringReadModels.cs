using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;

namespace Portal.Web.Features.Monitoring;

/// <summary>One monitoring window as the dashboard and <c>GET /api/models/{name}/monitoring</c> show it.</summary>
public sealed record MonitoringWindowView(
    MonitoringWindowId Id,
    int VersionNumber,
    WindowKind Kind,
    DateTime StartUtc,
    DateTime EndUtc,
    long Rows,
    long ErrorRows,
    long LabeledRows,
    double? Accuracy,
    double? MeanAbsoluteError,
    int DriftedFeatures,
    IReadOnlyList<PredictionShare> Predictions,
    DriftReport Drift,
    WindowQuality Quality,
    string Summary,
    DateTime ComputedUtc)
{
    /// <summary>The window's task metric: MAE for regression, accuracy otherwise.</summary>
    public double? Live(bool isRegression) => isRegression ? MeanAbsoluteError : Accuracy;

    public static MonitoringWindowView From(MonitoringWindow w) => new(w.Id, w.VersionNumber, w.Kind, w.StartUtc, w.EndUtc, w.Rows, w.ErrorRows, w.LabeledRows,
        w.Accuracy, w.MeanAbsoluteError, w.DriftedFeatures, w.Predictions, w.Drift, w.Quality, w.Summary, w.ComputedUtc);
}

/// <summary>One alert of a model as its dashboard's feed shows it.</summary>
public sealed record MonitoringAlertView(
    MonitoringAlertId Id,
    int VersionNumber,
    AlertRule Rule,
    string Feature,
    AlertSeverity Severity,
    AlertStatus Status,
    string Message,
    MonitoringWindowId? WindowId,
    MonitoringWindowId? LastWindowId,
    RolloutId? RolloutId,
    DateTime RaisedUtc,
    DateTime LastSeenUtc,
    int Occurrences,
    string? AcknowledgedBy,
    string? AcknowledgeComment,
    DateTime? ResolvedUtc)
{
    public bool IsActive => Status != AlertStatus.Resolved;

    public static MonitoringAlertView From(MonitoringAlert a) => new(a.Id, a.VersionNumber, a.Rule, a.Feature, a.Severity, a.Status, a.Message, a.WindowId,
        a.LastWindowId, a.RolloutId, a.RaisedUtc, a.LastSeenUtc, a.Occurrences, a.AcknowledgedBy, a.AcknowledgeComment, a.ResolvedUtc);
}

/// <summary>
/// A model's health at a glance: its champion, the latest window's task metric against the champion's validation figure,
/// the features that window found drifted, its active alerts, and the verdict with its reason.
/// </summary>
public sealed record ModelHealthView(
    RegisteredModelId ModelId,
    string Name,
    int? ChampionVersion,
    bool IsRegression,
    double? Validation,
    double? Live,
    long LiveLabels,
    DateTime? LatestWindowEndUtc,
    IReadOnlyList<string> DriftedFeatures,
    int ActiveAlerts,
    ModelHealth Health,
    string Reason)
{
    public string MetricName => ModelHealthRule.MetricName(IsRegression);
}

/// <summary>A model's monitoring dashboard: health, its latest windows of one kind (oldest first), its alerts (active first, newest first).</summary>
public sealed record MonitoringDashboard(
    ModelHealthView Health,
    WindowKind Kind,
    IReadOnlyList<MonitoringWindowView> Windows,
    IReadOnlyList<MonitoringAlertView> Alerts,
    MonitoringPolicy Policy);
