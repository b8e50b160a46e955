namespace Portal.Domain.Registry;

/// <summary>
/// A span of time one version was the model's champion: from its promotion until the next champion replaced it
/// (<see cref="ToUtc"/> null while it is live), who approved it, by which request, on which evidence, and why.
/// </summary>
public sealed class ProductionPeriod
{
    private ProductionPeriod()
    {
    }

    public ModelVersionId VersionId { get; private set; }

    public int VersionNumber { get; private set; }

    public DateTime FromUtc { get; private set; }

    public DateTime? ToUtc { get; private set; }

    public IReadOnlyList<string> ApprovedBy { get; private set; } = [];

    public PromotionRequestId RequestId { get; private set; }

    public string Reason { get; private set; } = "";

    public string EvidenceSha256 { get; private set; } = "";

    /// <summary>An Administrator overrode a failed gate on the way in; shown on the model page for good.</summary>
    public bool Overridden { get; private set; }

    public bool IsOpen => ToUtc is null;

    internal static ProductionPeriod Open(ModelVersion version, PromotionTransition transition, DateTime fromUtc) => new()
    {
        VersionId = version.Id,
        VersionNumber = version.Number,
        FromUtc = fromUtc,
        ApprovedBy = [.. transition.ApprovedBy],
        RequestId = transition.RequestId,
        Reason = transition.Reason,
        EvidenceSha256 = transition.EvidenceSha256,
        Overridden = transition.Overridden,
    };

    internal void Close(DateTime toUtc) => ToUtc = toUtc;
}
