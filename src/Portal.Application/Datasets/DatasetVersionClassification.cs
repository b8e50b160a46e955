using Portal.Domain.Datasets;

namespace Portal.Application.Datasets;

/// <summary>The classification of every column of one dataset version, in column order, with what the promotion gates ask of it.</summary>
public sealed record DatasetVersionClassification(
    DatasetVersionId VersionId,
    DatasetId DatasetId,
    string DatasetName,
    int Version,
    IReadOnlyList<ClassifiedColumn> Columns)
{
    /// <summary>The protected attributes the fairness gate compares groups on (sensitive or special-category columns).</summary>
    public IReadOnlyList<ClassifiedColumn> SensitiveColumns => [.. Columns.Where(c => c.Sensitive)];

    /// <summary>True when some column holds personal data or is still unclassified: the data-protection gate waits for the DPO's sign-off.</summary>
    public bool RequiresSignOff => Columns.Any(c => c.RequiresSignOff);

    /// <summary>Columns nobody has classified yet.</summary>
    public IReadOnlyList<ClassifiedColumn> UnclassifiedColumns => [.. Columns.Where(c => c.Classification == DataClassification.Unclassified)];
}
