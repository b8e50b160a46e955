using Portal.Domain.Live;
using Portal.Domain.Registry;

namespace Portal.Domain.Monitoring;

/// <summary>
/// A monitoring window of a model was written or updated (late labels): the dashboards re-read the model's windows.
/// Published on <see cref="LiveTopics.Monitoring"/> of the model.
/// </summary>
public sealed record MonitoringChanged(
    string Topic,
    RegisteredModelId ModelId,
    MonitoringWindowId WindowId,
    int VersionNumber,
    WindowKind Kind,
    DateTime EndUtc,
    long Rows,
    double? Accuracy,
    double? MeanAbsoluteError,
    int DriftedFeatures,
    string Summary) : ILiveEvent;

/// <summary>
/// An alert was raised, repeated, acknowledged, resolved or cleared. Published on <see cref="LiveTopics.Alerts"/> (every
/// signed-in screen's badge) and on the model's <see cref="LiveTopics.Monitoring"/> topic (its dashboard's feed).
/// </summary>
public sealed record AlertChanged(
    string Topic,
    MonitoringAlertId AlertId,
    RegisteredModelId ModelId,
    AlertRule Rule,
    string Feature,
    AlertSeverity Severity,
    AlertStatus Status,
    int Occurrences,
    string Message) : ILiveEvent;
