namespace Portal.Domain.Registry;

/// <summary>
/// One frozen evidence snapshot of a promotion request, as the worker evaluated it: the canonical JSON whose SHA-256
/// (<see cref="EvidenceHash"/>) the request, every approval and the audit entries carry. Re-evaluations add snapshots;
/// none is ever changed, so the evidence any decider saw can be read again by its hash.
/// </summary>
public sealed class PromotionEvidence
{
    private PromotionEvidence()
    {
    }

    public PromotionRequestId RequestId { get; private set; }

    public string EvidenceSha256 { get; private set; } = "";

    /// <summary>The canonical JSON (keys sorted, no whitespace) that hashes to <see cref="EvidenceSha256"/>.</summary>
    public string Json { get; private set; } = "";

    public DateTime CreatedUtc { get; private set; }

    /// <summary>Freezes evidence already brought to canonical form; its hash is computed here, never taken from the caller.</summary>
    public static PromotionEvidence Freeze(PromotionRequestId requestId, string canonicalJson, DateTimeOffset now) => new()
    {
        RequestId = requestId,
        Json = canonicalJson,
        EvidenceSha256 = EvidenceHash.ComputeFromJson(canonicalJson),
        CreatedUtc = now.UtcDateTime,
    };
}
