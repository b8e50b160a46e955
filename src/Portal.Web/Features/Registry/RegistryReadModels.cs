using Portal.Domain.Registry;
using Portal.Domain.Runs;

namespace Portal.Web.Features.Registry;

/// <summary>A row of the models list.</summary>
public sealed record ModelRow(RegisteredModelId Id, string Name, string Description, RiskTier RiskTier, string Owner, int Versions, int? ChampionVersion,
    int OpenRequests, bool HasOverriddenPromotion, DateTime CreatedUtc);

/// <summary>One registered model as its page and <c>GET /api/models/{name}</c> show it.</summary>
public sealed record ModelDetails(
    RegisteredModelId Id,
    string Name,
    string Description,
    RiskTier RiskTier,
    string OwnerId,
    string Owner,
    HoldOutRef? HoldOut,
    bool HasOverriddenPromotion,
    DateTime CreatedUtc,
    VersionRow? Champion,
    IReadOnlyList<VersionRow> Versions,
    IReadOnlyList<ProductionPeriodRow> History,
    IReadOnlyList<PromotionRow> Requests);

/// <summary>The dataset version challengers and champion are scored on.</summary>
public sealed record HoldOutRef(Guid DatasetId, string DatasetName, int Version, long Rows);

public sealed record VersionRow(
    ModelVersionId Id,
    int Number,
    RunId RunId,
    ModelStage Stage,
    string RunSubmittedBy,
    string RegisteredBy,
    DateTime RegisteredUtc,
    DateTime StageChangedUtc,
    string ModelSha256,
    IReadOnlyList<InputFeature> InputSignature,
    IReadOnlyDictionary<string, double> Metrics,
    string? Trainer,
    MlTask? Task);

/// <summary>A span one version was the champion: from, to (null while live), who let it in, by which request, on which evidence, why.</summary>
public sealed record ProductionPeriodRow(int Version, DateTime FromUtc, DateTime? ToUtc, IReadOnlyList<string> ApprovedBy, PromotionRequestId RequestId,
    string Reason, string EvidenceSha256, bool Overridden);

/// <summary>A promotion request as lists (the inbox, a model's requests) show it.</summary>
public sealed record PromotionRow(
    PromotionRequestId Id,
    RegisteredModelId ModelId,
    string Model,
    RiskTier RiskTier,
    int Version,
    ModelStage TargetStage,
    PromotionStatus Status,
    string RequestedById,
    string RequestedBy,
    DateTime RequestedUtc,
    string Justification,
    int Approvals,
    int RequiredApprovals,
    bool SignOffRequired,
    bool SignedOff,
    IReadOnlyList<GateResult> Gates,
    string? EvidenceSha256,
    string? StaleReason,
    bool Overridden);

/// <summary>One promotion request in full: the evidence page and <c>GET /api/promotions/{id}</c>.</summary>
public sealed record PromotionDetails(
    PromotionRow Summary,
    string RunSubmittedById,
    string RunSubmittedBy,
    RunId RunId,
    IReadOnlyList<ApprovalRow> Approvals,
    IReadOnlyList<SignOffRow> SignOffs,
    string? FairnessAcceptedBy,
    string? FairnessAcceptanceReason,
    string? DecidedBy,
    DateTime? DecidedUtc,
    string? RejectionComment,
    string? OverriddenBy,
    string? OverrideReason,
    DateTime? EvaluatedUtc,
    EvaluationProgress? Evaluation,
    string? EvidenceJson);

public sealed record ApprovalRow(string ApproverId, string Approver, string Comment, string EvidenceSha256Seen, DateTime ApprovedUtc, bool Counts);

public sealed record SignOffRow(string OfficerId, string Officer, bool Allow, string Comment, string EvidenceSha256Seen, DateTime SignedUtc, bool Counts);

/// <summary>The background evaluation's progress while the request is being evaluated.</summary>
public sealed record EvaluationProgress(double Progress, string Stage, int Attempt, string? LastError);
