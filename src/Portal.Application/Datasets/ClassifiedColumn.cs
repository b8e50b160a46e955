using Portal.Domain.Datasets;

namespace Portal.Application.Datasets;

/// <summary>
/// A column of a dataset version as the data protection officer classified it: what the promotion gates read (fairness on
/// <see cref="Sensitive"/> columns, the DPO's sign-off where <see cref="RequiresSignOff"/>), and what pages show.
/// </summary>
public sealed record ClassifiedColumn(
    DatasetVersionId VersionId,
    int Ordinal,
    string Name,
    ColumnType Type,
    bool PersonalDataSuspected,
    DataClassification Classification,
    bool Sensitive,
    string? ClassifiedByName,
    DateTime? ClassifiedUtc)
{
    /// <summary>Personal data (special category included) or not yet classified: a model trained on it needs the DPO's sign-off.</summary>
    public bool RequiresSignOff => ColumnClassificationRules.RequiresSignOff(Classification);

    public static ClassifiedColumn From(DatasetColumn column) => new(column.DatasetVersionId, column.Ordinal, column.Name, column.Type,
        column.PersonalDataSuspected, column.Classification, column.Sensitive, column.ClassifiedByName, column.ClassifiedUtc);
}
