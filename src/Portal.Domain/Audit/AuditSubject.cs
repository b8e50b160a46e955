using Portal.Domain.Datasets;
using Portal.Domain.Experiments;
using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Runs;
using Portal.Domain.Webhooks;

namespace Portal.Domain.Audit;

/// <summary>What an audit entry is about: a kind (User, ApiToken, Run, ...) and that thing's id.</summary>
public sealed record AuditSubject
{
    public AuditSubject(AuditSubjectKind kind, string id)
        : this(kind.Name, id)
    {
    }

    /// <summary>A subject as stored, whose type may predate the catalogue; features record through the typed constructor.</summary>
    internal AuditSubject(string type, string id)
    {
        Type = type;
        Id = id;
    }

    public string Type { get; }

    public string Id { get; }

    public static AuditSubject User(string userId) => new(AuditSubjectKinds.User, userId);

    public static AuditSubject ApiToken(Guid tokenId) => new(AuditSubjectKinds.ApiToken, tokenId.ToString());

    public static AuditSubject DatasetVersion(DatasetVersionId versionId) => new(AuditSubjectKinds.DatasetVersion, versionId.ToString());

    public static AuditSubject Experiment(ExperimentId experimentId) => new(AuditSubjectKinds.Experiment, experimentId.ToString());

    public static AuditSubject Run(RunId runId) => new(AuditSubjectKinds.Run, runId.ToString());

    public static AuditSubject RegisteredModel(RegisteredModelId modelId) => new(AuditSubjectKinds.RegisteredModel, modelId.ToString());

    public static AuditSubject ModelVersion(ModelVersionId versionId) => new(AuditSubjectKinds.ModelVersion, versionId.ToString());

    public static AuditSubject WebhookSubscription(WebhookSubscriptionId subscriptionId) => new(AuditSubjectKinds.WebhookSubscription, subscriptionId.ToString());

    public static AuditSubject WebhookDelivery(WebhookDeliveryId deliveryId) => new(AuditSubjectKinds.WebhookDelivery, deliveryId.ToString());

    public static AuditSubject PromotionRequest(PromotionRequestId requestId) => new(AuditSubjectKinds.PromotionRequest, requestId.ToString());

    public static AuditSubject Rollout(RolloutId rolloutId) => new(AuditSubjectKinds.Rollout, rolloutId.ToString());

    public static AuditSubject ErasureRequest(Privacy.ErasureRequestId requestId) => new(AuditSubjectKinds.ErasureRequest, requestId.ToString());

    public static AuditSubject AuditCheckpoint(long checkpointId) => new(AuditSubjectKinds.AuditCheckpoint, checkpointId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static AuditSubject LineageEvent(long eventId) => new(AuditSubjectKinds.LineageEvent, eventId.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
