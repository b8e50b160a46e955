using Portal.Domain.Registry;

namespace Portal.Web.Features.Registry;

/// <summary>Body of <c>POST /api/models</c>; <c>riskTier</c> is Low (the default) or High (managers and administrators only).</summary>
public sealed record CreateModelRequest(string? Name, string? Description, string? RiskTier);

/// <summary>Body of <c>PUT /api/models/{name}/risk-tier</c>.</summary>
public sealed record ChangeRiskTierRequest(string? RiskTier);

/// <summary>Body of <c>PUT /api/models/{name}/hold-out</c>: a dataset and its version (the latest without one); a null dataset clears it.</summary>
public sealed record DesignateHoldOutRequest(Guid? DatasetId, int? Version);

/// <summary>Body of <c>POST /api/models/{name}/versions</c>: the succeeded run the version is made from.</summary>
public sealed record RegisterVersionRequest(Guid? RunId);

/// <summary>Body of <c>POST /api/promotions</c>.</summary>
public sealed record RequestPromotionRequest(string? Model, int? Version, string? TargetStage, string? Justification);

/// <summary>Body of <c>POST /api/promotions/{id}/approve</c>: the evidence hash the manager decided on (the current one when left out).</summary>
public sealed record ApprovePromotionRequest(string? Comment, string? EvidenceHash);

/// <summary>Body of <c>POST /api/promotions/{id}/reject</c>: the comment is mandatory.</summary>
public sealed record RejectPromotionRequest(string? Comment);

/// <summary>Body of <c>POST /api/promotions/{id}/sign-off</c> (the DPO): allow or deny, with a comment.</summary>
public sealed record SignOffPromotionRequest(bool? Allow, string? Comment, string? EvidenceHash);

/// <summary>Body of <c>POST /api/promotions/{id}/accept-fairness</c> (the DPO): why the breach is acceptable.</summary>
public sealed record AcceptFairnessRequest(string? Reason, string? EvidenceHash);

/// <summary>Body of <c>POST /api/promotions/{id}/override</c> (an Administrator): the mandatory reason.</summary>
public sealed record OverridePromotionRequest(string? Reason);

/// <summary>Reads the registry's enum values from API text: names only (ignoring case), never numbers or combinations.</summary>
internal static class RegistryApiValues
{
    public static readonly RiskTier[] RiskTiers = Enum.GetValues<RiskTier>();

    public static readonly ModelStage[] TargetStages = [ModelStage.Staging, ModelStage.Production];

    public static readonly InboxView[] Views = Enum.GetValues<InboxView>();

    /// <summary>The value named <paramref name="text"/> among <paramref name="allowed"/>, or null.</summary>
    public static T? Parse<T>(string? text, IReadOnlyCollection<T> allowed)
        where T : struct, Enum
    {
        var trimmed = text?.Trim();
        return allowed.Cast<T?>().FirstOrDefault(v => string.Equals(v.ToString(), trimmed, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>"riskTier must be one of Low, High." with the API's spelling of the names (camelCase).</summary>
    public static string Allowed<T>(string field, IEnumerable<T> allowed)
        where T : struct, Enum => $"{field} must be one of {string.Join(", ", allowed.Select(Spelling))}.";

    /// <summary>How the API writes an enum value: camelCase for the inbox views (as the query string takes them), the name otherwise.</summary>
    public static string Spelling<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        return typeof(T) == typeof(InboxView) ? char.ToLowerInvariant(name[0]) + name[1..] : name;
    }
}
