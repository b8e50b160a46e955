using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Security;

namespace Portal.Domain.Monitoring;

/// <summary>
/// Something the monitoring loop noticed about a model in production: live accuracy dropped, a feature drifted, data
/// quality fell, or requests broke the schema. One alert per model, rule and feature stays open at a time: the same
/// cause seen again in later windows counts as a repeat of it (de-duplication). Acknowledged with a comment, resolved by a
/// person or when its cause clears; after resolution the same cause stays quiet for the model's cool-down.
/// <para>
/// A staged rollout rolled back automatically raises one too (<see cref="RaiseForRollback"/>): it has no window but its rollout,
/// is never repeated or cleared by the monitoring loop, and waits for a person.
/// </para>
/// </summary>
public sealed class MonitoringAlert
{
    public const int MaxTextLength = 1000;
    public const int MaxFeatureLength = 200;

    private MonitoringAlert()
    {
    }

    public MonitoringAlertId Id { get; private set; }

    public RegisteredModelId ModelId { get; private set; }

    public ModelVersionId ModelVersionId { get; private set; }

    public int VersionNumber { get; private set; }

    public AlertRule Rule { get; private set; }

    /// <summary>The feature that raised it (drift, data quality); empty for model-wide rules (accuracy, schema).</summary>
    public string Feature { get; private set; } = "";

    public AlertSeverity Severity { get; private set; }

    public AlertStatus Status { get; private set; }

    /// <summary>What was seen, in a sentence with the figures ("PSI 0.41 ≥ 0.20 on income over 1,000 rows").</summary>
    public string Message { get; private set; } = "";

    /// <summary>The window that raised it first; none for a rollback (<see cref="RolloutId"/>).</summary>
    public MonitoringWindowId? WindowId { get; private set; }

    /// <summary>The latest window that saw the same cause; none for a rollback.</summary>
    public MonitoringWindowId? LastWindowId { get; private set; }

    /// <summary>The rollout whose automatic rollback raised it (<see cref="AlertRule.RolloutRolledBack"/>).</summary>
    public RolloutId? RolloutId { get; private set; }

    public DateTime RaisedUtc { get; private set; }

    public DateTime LastSeenUtc { get; private set; }

    /// <summary>Windows that saw the cause while this alert was open (1 when raised).</summary>
    public int Occurrences { get; private set; }

    public string? AcknowledgedBy { get; private set; }

    public DateTime? AcknowledgedUtc { get; private set; }

    public string? AcknowledgeComment { get; private set; }

    /// <summary>Who resolved it; "monitoring" when its cause cleared by itself.</summary>
    public string? ResolvedBy { get; private set; }

    public DateTime? ResolvedUtc { get; private set; }

    public string? ResolveComment { get; private set; }

    public bool IsActive => Status != AlertStatus.Resolved;

    /// <summary>Who may acknowledge or resolve an alert.</summary>
    public static bool MayHandle(IEnumerable<string> roles) => AuthorizationMatrix.IsAllowed(Policies.ManageAlerts, roles);

    public static MonitoringAlert Raise(MonitoringAlertId id, RegisteredModelId modelId, ModelVersionId versionId, int versionNumber, AlertRule rule,
        string feature, AlertSeverity severity, string message, MonitoringWindowId windowId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(feature);
        ArgumentNullException.ThrowIfNull(message);
        return new()
        {
            Id = id,
            ModelId = modelId,
            ModelVersionId = versionId,
            VersionNumber = versionNumber,
            Rule = rule,
            Feature = Clip(feature, MaxFeatureLength),
            Severity = severity,
            Status = AlertStatus.Open,
            Message = Clip(message, MaxTextLength),
            WindowId = windowId,
            LastWindowId = windowId,
            RaisedUtc = now.UtcDateTime,
            LastSeenUtc = now.UtcDateTime,
            Occurrences = 1,
        };
    }

    /// <summary>
    /// The canary <paramref name="canaryVersionNumber"/> of <paramref name="rolloutId"/> failed its analysis and was rolled
    /// back: a critical alert on the canary's version with the reason, once per rollback.
    /// </summary>
    public static MonitoringAlert RaiseForRollback(MonitoringAlertId id, RegisteredModelId modelId, ModelVersionId canaryVersionId, int canaryVersionNumber,
        RolloutId rolloutId, string message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new()
        {
            Id = id,
            ModelId = modelId,
            ModelVersionId = canaryVersionId,
            VersionNumber = canaryVersionNumber,
            Rule = AlertRule.RolloutRolledBack,
            Severity = AlertSeverity.Critical,
            Status = AlertStatus.Open,
            Message = Clip(message, MaxTextLength),
            RolloutId = rolloutId,
            RaisedUtc = now.UtcDateTime,
            LastSeenUtc = now.UtcDateTime,
            Occurrences = 1,
        };
    }

    /// <summary>The same cause seen again in a later window: counted, the message and severity follow the latest figures.</summary>
    public void Repeat(AlertSeverity severity, string message, MonitoringWindowId windowId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        Occurrences++;
        Severity = severity > Severity ? severity : Severity;
        Message = Clip(message, MaxTextLength);
        LastWindowId = windowId;
        LastSeenUtc = now.UtcDateTime;
    }

    public RegistryResult Acknowledge(string byUserName, IEnumerable<string> roles, string comment, DateTimeOffset now)
    {
        if (!MayHandle(roles))
        {
            return RegistryResult.Refused(RefusalReason.RoleRequired, "Only a data scientist, a business manager or an administrator may acknowledge an alert.");
        }

        if (string.IsNullOrWhiteSpace(comment))
        {
            return RegistryResult.Refused(RefusalReason.InvalidInput, "Say what is being done about the alert: the comment is required.");
        }

        if (Status != AlertStatus.Open)
        {
            return RegistryResult.Refused(RefusalReason.WrongState, $"The alert is already {Status.ToString().ToLowerInvariant()}.");
        }

        Status = AlertStatus.Acknowledged;
        AcknowledgedBy = byUserName;
        AcknowledgedUtc = now.UtcDateTime;
        AcknowledgeComment = Clip(comment.Trim(), MaxTextLength);
        return RegistryResult.Done;
    }

    public RegistryResult Resolve(string byUserName, IEnumerable<string> roles, string? comment, DateTimeOffset now)
    {
        if (!MayHandle(roles))
        {
            return RegistryResult.Refused(RefusalReason.RoleRequired, "Only a data scientist, a business manager or an administrator may resolve an alert.");
        }

        if (Status == AlertStatus.Resolved)
        {
            return RegistryResult.Refused(RefusalReason.WrongState, "The alert is already resolved.");
        }

        Status = AlertStatus.Resolved;
        ResolvedBy = byUserName;
        ResolvedUtc = now.UtcDateTime;
        ResolveComment = string.IsNullOrWhiteSpace(comment) ? null : Clip(comment.Trim(), MaxTextLength);
        return RegistryResult.Done;
    }

    /// <summary>The cause cleared by itself (later windows no longer show it).</summary>
    public void Clear(string message, DateTimeOffset now)
    {
        Status = AlertStatus.Resolved;
        ResolvedBy = "monitoring";
        ResolvedUtc = now.UtcDateTime;
        ResolveComment = Clip(message, MaxTextLength);
    }

    private static string Clip(string text, int max) => text.Length > max ? text[..(max - 1)] + "…" : text;
}
