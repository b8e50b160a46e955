using Portal.Domain.Privacy;

namespace Portal.Domain.Datasets;

/// <summary>
/// The outcome of the DPO's decision on one column (category, sensitive flag and, when given, purpose, legal basis and
/// retention): refused with the reason and a message, nothing changed; or done with what changed — nothing when the DPO
/// confirmed what was already recorded.
/// </summary>
public sealed record ColumnDecisionResult(
    ClassificationRefusalReason? Refusal,
    string? Message,
    ColumnClassificationChange? Classification,
    ColumnProtectionChange? Protection)
{
    public bool Succeeded => Refusal is null;

    public bool Changed => Classification is not null || Protection is not null;

    public static ColumnDecisionResult Refused(ClassificationRefusalReason reason, string message) => new(reason, message, null, null);
}
