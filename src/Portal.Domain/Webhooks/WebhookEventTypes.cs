namespace Portal.Domain.Webhooks;

/// <summary>
/// The state changes a webhook can subscribe to, by their stable wire names (sent as <c>Portal-Event</c> and as the
/// body's <c>type</c>). A subscription wants a list of them, or <see cref="All"/>. Names never change once shipped.
/// </summary>
public static class WebhookEventTypes
{
    /// <summary>Stored instead of a list: every event, including ones added later.</summary>
    public const string All = "*";

    public const string PromotionRequested = "promotion.requested";
    public const string PromotionEvaluated = "promotion.evaluated";
    public const string PromotionApproved = "promotion.approved";
    public const string PromotionRejected = "promotion.rejected";
    public const string ModelStageChanged = "model.stage.changed";
    public const string RolloutStarted = "rollout.started";
    public const string RolloutStepAdvanced = "rollout.step_advanced";
    public const string RolloutCompleted = "rollout.completed";
    public const string RolloutRolledBack = "rollout.rolled_back";
    public const string RolloutAborted = "rollout.aborted";
    public const string AlertRaised = "alert.raised";
    public const string AlertAcknowledged = "alert.acknowledged";
    public const string AlertResolved = "alert.resolved";
    public const string RetrainingStarted = "retraining.started";
    public const string RetentionExpired = "dataset.retention_expired";
    public const string ErasureRequested = "erasure.requested";

    /// <summary>
    /// Not a subscribable event: the kind of the deliveries of Portal's own OpenLineage RunEvents, posted as they are (no
    /// envelope) to the configured lineage endpoint's system webhook. Kept out of <see cref="Known"/>, so no administrator's
    /// webhook (not even one wanting <see cref="All"/>) receives them.
    /// </summary>
    public const string OpenLineageRunEvent = "openlineage.run_event";

    /// <summary>Every event type a subscription may name, in the order the admin page lists them.</summary>
    public static readonly IReadOnlyList<string> Known =
        [PromotionRequested, PromotionEvaluated, PromotionApproved, PromotionRejected, ModelStageChanged,
            RolloutStarted, RolloutStepAdvanced, RolloutCompleted, RolloutRolledBack, RolloutAborted,
            AlertRaised, AlertAcknowledged, AlertResolved, RetrainingStarted, RetentionExpired, ErasureRequested];

    public static bool IsKnown(string eventType) => Known.Contains(eventType, StringComparer.Ordinal);

    public static string Describe(string eventType) => eventType switch
    {
        All => "All events",
        PromotionRequested => "A promotion was requested",
        PromotionEvaluated => "A promotion's gates were evaluated",
        PromotionApproved => "A promotion was approved",
        PromotionRejected => "A promotion was rejected",
        ModelStageChanged => "A model version changed stage",
        RolloutStarted => "A staged rollout started",
        RolloutStepAdvanced => "A rollout step passed and the canary's share rose",
        RolloutCompleted => "A rollout completed: the canary is the champion",
        RolloutRolledBack => "A rollout was rolled back (automatically or by hand)",
        RolloutAborted => "A rollout was aborted",
        AlertRaised => "A monitoring alert was raised (accuracy drop, drift, data quality, schema violation)",
        AlertAcknowledged => "A monitoring alert was acknowledged",
        AlertResolved => "A monitoring alert was resolved (by a person, or its cause cleared)",
        RetrainingStarted => "The monitoring loop started retraining a model",
        RetentionExpired => "A dataset version passed the retention period of its personal columns",
        ErasureRequested => "The data protection officer marked dataset versions for erasure (affected models need retraining)",
        OpenLineageRunEvent => "OpenLineage RunEvents of training runs (START, COMPLETE, FAIL, ABORT), sent to the configured lineage endpoint",
        _ => eventType,
    };
}
