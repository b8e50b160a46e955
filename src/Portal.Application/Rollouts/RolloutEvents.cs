using Portal.Data;
using Portal.Data.Live;
using Portal.Data.Webhooks;
using Portal.Domain.Live;
using Portal.Domain.Rollouts;

namespace Portal.Application.Rollouts;

/// <summary>A rollout's live events and webhooks, added to the change's own save (ADR 0006): committed with it or not at all.</summary>
public static class RolloutEvents
{
    /// <summary>Tells the rollout's page and its model's page what happened (<paramref name="alsoInbox"/>: the managers' inbox too, an alert).</summary>
    public static void PublishRolloutChanged(this PortalDbContext db, Rollout rollout, string summary, DateTimeOffset now, bool alsoInbox = false)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        IEnumerable<string> topics = [LiveTopics.Rollout(rollout.Id), LiveTopics.Model(rollout.ModelId)];
        foreach (var topic in alsoInbox ? topics.Append(LiveTopics.Inbox) : topics)
        {
            db.Publish(new RolloutChanged(topic, rollout.Id, rollout.ModelId, rollout.State, rollout.StepIndex, rollout.CanaryPercent, Clip(summary)), now);
        }
    }

    /// <summary>The analysis of a step still running, for the rollout's live page only (it changes every few seconds).</summary>
    public static void PublishRolloutAnalysed(this PortalDbContext db, Rollout rollout, string summary, DateTimeOffset now) =>
        db.Publish(new RolloutChanged(LiveTopics.Rollout(rollout.Id), rollout.Id, rollout.ModelId, rollout.State, rollout.StepIndex, rollout.CanaryPercent,
            Clip(summary)), now);

    /// <summary>Queues <paramref name="eventType"/> for every webhook that wants it, in the change's own save.</summary>
    public static Task NotifyRolloutAsync(this PortalDbContext db, string eventType, Rollout rollout, string modelName, string summary, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        db.EnqueueWebhooksAsync(eventType, new
        {
            rolloutId = rollout.Id.ToString(),
            model = modelName,
            baselineVersion = rollout.BaselineVersionNumber,
            canaryVersion = rollout.CanaryVersionNumber,
            state = rollout.State.ToString(),
            step = rollout.StepIndex + 1,
            steps = rollout.Policy.Steps.Count,
            canaryPercent = rollout.CanaryPercent,
            requestId = rollout.Transition.RequestId.ToString(),
            summary,
        }, now, cancellationToken);

    /// <summary>The model.stage.changed webhook of a promotion carried out by a completed rollout.</summary>
    public static Task EnqueueModelStageChangedAsync(this PortalDbContext db, Domain.Registry.RegisteredModel model, Domain.Registry.PromotionTransition transition,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        db.EnqueueWebhooksAsync(Domain.Webhooks.WebhookEventTypes.ModelStageChanged, new
        {
            requestId = transition.RequestId.ToString(),
            model = model.Name,
            version = model.FindVersion(transition.VersionId)?.Number,
            targetStage = transition.TargetStage.ToString(),
            status = "Approved",
            decidedBy = transition.ApprovedBy.LastOrDefault(),
            evidenceHash = transition.EvidenceSha256,
            champion = model.Champion?.Number,
        }, now, cancellationToken);

    private static string Clip(string text) => text.Length > Rollout.MaxTextLength ? text[..(Rollout.MaxTextLength - 1)] + "…" : text;
}
