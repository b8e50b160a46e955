using Portal.Domain.Datasets;
using Portal.Domain.Privacy;

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

    /// <summary>The purpose, legal basis and retention the DPO recorded.</summary>
    public ColumnProtection Protection { get; init; } = ColumnProtection.None;

    /// <summary>The version this column's classification was carried from at upload; null when decided on this version.</summary>
    public int? CarriedFromVersion { get; init; }

    public ColumnChangeSincePrevious ChangeSincePrevious { get; init; }

    public static ClassifiedColumn From(DatasetColumn column) => new(column.DatasetVersionId, column.Ordinal, column.Name, column.Type,
        column.PersonalDataSuspected, column.Classification, column.Sensitive, column.ClassifiedByName, column.ClassifiedUtc)
    {
        Protection = column.Protection,
        CarriedFromVersion = column.CarriedFromVersion,
        ChangeSincePrevious = column.ChangeSincePrevious,
    };
}
