using Portal.Domain.Registry;

namespace Portal.Web.Features.Registry;

/// <summary>The gates' names as a manager reads them.</summary>
public static class GateText
{
    public static string Name(PromotionGate gate) => gate switch
    {
        PromotionGate.Quality => "Quality vs champion",
        PromotionGate.Schema => "Schema",
        PromotionGate.Diagnostics => "Diagnostics",
        PromotionGate.Fairness => "Fairness",
        PromotionGate.DataProtection => "Data protection",
        PromotionGate.HumanApproval => "Approvals",
        _ => gate.ToString(),
    };

    /// <summary>The first characters of a SHA-256, enough to tell snapshots apart on screen (the full value is in the title).</summary>
    public static string Short(string? sha256) => sha256 is null ? "–" : sha256.Length <= 12 ? sha256 : sha256[..12];
}
