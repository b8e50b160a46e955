namespace Portal.Domain.Datasets;

/// <summary>
/// The outcome of classifying: refused (with the reason and a message saying why, nothing changed), or done with the
/// columns that actually changed — none when the DPO confirmed what was already recorded.
/// </summary>
public sealed record ClassificationResult(ClassificationRefusalReason? Refusal, string? Message, IReadOnlyList<ColumnClassificationChange> Changes)
{
    public bool Succeeded => Refusal is null;

    public static ClassificationResult Done(IReadOnlyList<ColumnClassificationChange> changes) => new(null, null, changes);

    public static ClassificationResult Refused(ClassificationRefusalReason reason, string message) => new(reason, message, []);
}
