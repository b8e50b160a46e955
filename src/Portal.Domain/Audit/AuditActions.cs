namespace Portal.Domain.Audit;

/// <summary>
/// Every action any feature records, declared once with its display text. A new feature adds its actions here
/// (and to <see cref="All"/>); the stored names of existing actions never change.
/// </summary>
public static class AuditActions
{
    public static readonly AuditAction SignInSucceeded = new("auth.signin.succeeded", "Signed in");
    public static readonly AuditAction SignInFailed = new("auth.signin.failed", "Failed sign-in");
    public static readonly AuditAction LockedOut = new("auth.lockout", "Account locked out");
    public static readonly AuditAction SignedOut = new("auth.signout", "Signed out");
    public static readonly AuditAction TokenRejected = new("auth.token.rejected", "API token rejected");

    public static readonly AuditAction UserCreated = new("user.created", "User created");
    public static readonly AuditAction UserLocked = new("user.locked", "User locked");
    public static readonly AuditAction UserUnlocked = new("user.unlocked", "User unlocked");
    public static readonly AuditAction UserRolesChanged = new("user.roles.changed", "Roles changed");

    public static readonly AuditAction TokenCreated = new("token.created", "API token created");
    public static readonly AuditAction TokenRevoked = new("token.revoked", "API token revoked");

    public static readonly AuditAction DatasetUploaded = new("dataset.uploaded", "Dataset version uploaded");
    public static readonly AuditAction DatasetColumnClassified = new("dataset.column.classified", "Dataset column classified by the data protection officer");

    public static readonly AuditAction ExperimentCreated = new("experiment.created", "Experiment created");
    public static readonly AuditAction ExperimentDescribed = new("experiment.described", "Experiment description changed");

    public static readonly AuditAction RunSubmitted = new("run.submitted", "Run submitted");
    public static readonly AuditAction RunCancelled = new("run.cancelled", "Run cancelled");
    public static readonly AuditAction RunChangeRefused = new("run.change.refused", "Change to someone else's run refused");

    public static readonly AuditAction ModelRegistered = new("model.registered", "Model registered");
    public static readonly AuditAction ModelVersionRegistered = new("model.version.registered", "Model version registered");
    public static readonly AuditAction ModelRiskTierChanged = new("model.risktier.changed", "Model risk tier changed");
    public static readonly AuditAction ModelHoldOutDesignated = new("model.holdout.designated", "Model hold-out dataset designated");
    public static readonly AuditAction ModelVersionTransitioned = new("model.version.transitioned", "Model version moved to a new stage");
    public static readonly AuditAction ModelCardEdited = new("model.card.edited", "Model card section edited");

    public static readonly AuditAction PromotionRequested = new("promotion.requested", "Promotion requested");
    public static readonly AuditAction PromotionEvaluated = new("promotion.evaluated", "Promotion evidence evaluated and frozen");
    public static readonly AuditAction PromotionSignedOff = new("promotion.signedoff", "Data protection sign-off given");
    public static readonly AuditAction PromotionFairnessAccepted = new("promotion.fairness.accepted", "Fairness breach accepted by the data protection officer");
    public static readonly AuditAction PromotionApproved = new("promotion.approved", "Promotion approved");
    public static readonly AuditAction PromotionApprovalRefused = new("promotion.approval.refused", "Promotion approval refused");
    public static readonly AuditAction PromotionRejected = new("promotion.rejected", "Promotion rejected");
    public static readonly AuditAction PromotionOverridden = new("promotion.overridden", "Failed gate overridden by an administrator");
    public static readonly AuditAction PromotionStale = new("promotion.stale", "Promotion evidence went stale");
    public static readonly AuditAction PromotionReevaluationRequested = new("promotion.reevaluation.requested", "Promotion re-evaluation requested");

    public static readonly AuditAction RolloutPolicySet = new("rollout.policy.set", "Model rollout policy set");
    public static readonly AuditAction RolloutStarted = new("rollout.started", "Staged rollout started");
    public static readonly AuditAction RolloutStepAdvanced = new("rollout.step.advanced", "Rollout step passed; canary share raised");
    public static readonly AuditAction RolloutCompleted = new("rollout.completed", "Rollout completed; canary became the champion");
    public static readonly AuditAction RolloutRolledBack = new("rollout.rolledback", "Rollout rolled back");
    public static readonly AuditAction RolloutPaused = new("rollout.paused", "Rollout paused");
    public static readonly AuditAction RolloutResumed = new("rollout.resumed", "Rollout resumed");
    public static readonly AuditAction RolloutAborted = new("rollout.aborted", "Rollout aborted");

    public static readonly AuditAction MonitoringPolicySet = new("monitoring.policy.set", "Model monitoring thresholds set");
    public static readonly AuditAction RetrainingPolicySet = new("retraining.policy.set", "Model retraining policy set");
    public static readonly AuditAction AlertRaised = new("alert.raised", "Monitoring alert raised");
    public static readonly AuditAction AlertAcknowledged = new("alert.acknowledged", "Monitoring alert acknowledged");
    public static readonly AuditAction AlertResolved = new("alert.resolved", "Monitoring alert resolved");
    public static readonly AuditAction AlertCleared = new("alert.cleared", "Monitoring alert cleared by itself");
    public static readonly AuditAction RetrainingStarted = new("retraining.started", "Retraining started by the monitoring loop");
    public static readonly AuditAction RetrainingFailed = new("retraining.failed", "Retraining did not produce a candidate");

    public static readonly AuditAction DatasetClassificationCarried = new("dataset.classification.carried", "Column classifications carried to a new dataset version");
    public static readonly AuditAction DatasetRetentionExpired = new("dataset.retention.expired", "Dataset version passed its retention period");
    public static readonly AuditAction DatasetVersionPurged = new("dataset.version.purged", "Dataset version content purged by the data protection officer");
    public static readonly AuditAction ErasureReportExported = new("erasure.report.exported", "Erasure impact report exported");
    public static readonly AuditAction ErasureRequested = new("erasure.requested", "Dataset versions marked for erasure");
    public static readonly AuditAction RetrainingRequired = new("retraining.required", "Retraining required: training data marked for erasure");
    public static readonly AuditAction AuditCheckpointSigned = new("audit.checkpoint.signed", "Audit chain checkpoint signed");
    public static readonly AuditAction LineageEventReceived = new("lineage.event.received", "External OpenLineage event accepted");

    public static readonly AuditAction WebhookCreated = new("webhook.created", "Webhook created");
    public static readonly AuditAction WebhookDeactivated = new("webhook.deactivated", "Webhook deactivated");
    public static readonly AuditAction WebhookRetried = new("webhook.retried", "Webhook delivery retried");

    /// <summary>The catalogue, in the order above.</summary>
    public static readonly IReadOnlyList<AuditAction> All =
    [
        SignInSucceeded, SignInFailed, LockedOut, SignedOut, TokenRejected,
        UserCreated, UserLocked, UserUnlocked, UserRolesChanged,
        TokenCreated, TokenRevoked,
        DatasetUploaded, DatasetColumnClassified,
        ExperimentCreated, ExperimentDescribed,
        RunSubmitted, RunCancelled, RunChangeRefused,
        ModelRegistered, ModelVersionRegistered, ModelRiskTierChanged, ModelHoldOutDesignated, ModelVersionTransitioned, ModelCardEdited,
        PromotionRequested, PromotionEvaluated, PromotionSignedOff, PromotionFairnessAccepted, PromotionApproved, PromotionApprovalRefused, PromotionRejected,
        PromotionOverridden, PromotionStale, PromotionReevaluationRequested,
        RolloutPolicySet, RolloutStarted, RolloutStepAdvanced, RolloutCompleted, RolloutRolledBack, RolloutPaused, RolloutResumed, RolloutAborted,
        MonitoringPolicySet, RetrainingPolicySet, AlertRaised, AlertAcknowledged, AlertResolved, AlertCleared, RetrainingStarted, RetrainingFailed,
        DatasetClassificationCarried, DatasetRetentionExpired, DatasetVersionPurged, ErasureReportExported, ErasureRequested, RetrainingRequired,
        AuditCheckpointSigned, LineageEventReceived,
        WebhookCreated, WebhookDeactivated, WebhookRetried,
    ];

    private static readonly Dictionary<string, AuditAction> ByName = All.ToDictionary(a => a.Name, StringComparer.Ordinal);

    /// <summary>The catalogued action stored as <paramref name="name"/>, or null for a name no feature records any more.</summary>
    public static AuditAction? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The display text of a stored action name; an unknown name (an older entry) shows as stored.</summary>
    public static string Describe(string name) => Find(name)?.DisplayText ?? name;
}
