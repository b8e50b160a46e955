namespace Portal.Domain.Audit;

/// <summary>Every kind of subject any feature records, declared once with its display text.</summary>
public static class AuditSubjectKinds
{
    public static readonly AuditSubjectKind User = new("User", "User");
    public static readonly AuditSubjectKind ApiToken = new("ApiToken", "API token");
    public static readonly AuditSubjectKind DatasetVersion = new("DatasetVersion", "Dataset version");
    public static readonly AuditSubjectKind Experiment = new("Experiment", "Experiment");
    public static readonly AuditSubjectKind Run = new("Run", "Run");
    public static readonly AuditSubjectKind RegisteredModel = new("RegisteredModel", "Registered model");
    public static readonly AuditSubjectKind ModelVersion = new("ModelVersion", "Model version");
    public static readonly AuditSubjectKind PromotionRequest = new("PromotionRequest", "Promotion request");
    public static readonly AuditSubjectKind Rollout = new("Rollout", "Staged rollout");
    public static readonly AuditSubjectKind MonitoringAlert = new("MonitoringAlert", "Monitoring alert");
    public static readonly AuditSubjectKind ErasureRequest = new("ErasureRequest", "Erasure request");
    public static readonly AuditSubjectKind AuditCheckpoint = new("AuditCheckpoint", "Audit checkpoint");
    public static readonly AuditSubjectKind LineageEvent = new("LineageEvent", "OpenLineage event");
    public static readonly AuditSubjectKind WebhookSubscription = new("WebhookSubscription", "Webhook");
    public static readonly AuditSubjectKind WebhookDelivery = new("WebhookDelivery", "Webhook delivery");

    /// <summary>The catalogue, in the order above.</summary>
    public static readonly IReadOnlyList<AuditSubjectKind> All = [User, ApiToken, DatasetVersion, Experiment, Run, RegisteredModel, ModelVersion, PromotionRequest, Rollout, MonitoringAlert, ErasureRequest, AuditCheckpoint, LineageEvent, WebhookSubscription, WebhookDelivery];

    private static readonly Dictionary<string, AuditSubjectKind> ByName = All.ToDictionary(k => k.Name, StringComparer.Ordinal);

    public static AuditSubjectKind? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The display text of a stored subject type; an unknown type shows as stored.</summary>
    public static string Describe(string name) => Find(name)?.DisplayText ?? name;
}
