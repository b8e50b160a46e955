using Portal.Domain.Live;

namespace Portal.Domain.Registry;

/// <summary>
/// A promotion request arrived, progressed in its evaluation or was decided. Published on the request's own topic and on
/// <see cref="LiveTopics.Inbox"/> (the badge counts follow it) in the same transaction as the change.
/// </summary>
public sealed record PromotionChanged(
    string Topic,
    PromotionRequestId RequestId,
    RegisteredModelId ModelId,
    string ModelName,
    int VersionNumber,
    PromotionStatus Status,
    double? EvaluationProgress,
    string? EvaluationStage) : ILiveEvent;

/// <summary>A registered model changed: a new version, a stage change, a new champion.</summary>
public sealed record ModelChanged(string Topic, RegisteredModelId ModelId, string ModelName, string Change) : ILiveEvent;
