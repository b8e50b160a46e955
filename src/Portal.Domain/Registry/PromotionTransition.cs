namespace Portal.Domain.Registry;

/// <summary>
/// The stage change an approved promotion asks the registry to make (<see cref="RegisteredModel.Apply"/>), with who let it
/// in, on which evidence and why: what the model's production history records.
/// </summary>
public sealed record PromotionTransition(
    PromotionRequestId RequestId,
    RegisteredModelId ModelId,
    ModelVersionId VersionId,
    ModelStage TargetStage,
    IReadOnlyList<string> ApprovedBy,
    string Reason,
    string EvidenceSha256,
    bool Overridden);
