namespace Portal.Domain.Datasets;

/// <summary>
/// What the analyzer found in one column. <see cref="Count"/> is the number of non-missing values and
/// <see cref="Count"/> + <see cref="Missing"/> equals the dataset's rows. <see cref="Distinct"/> is exact unless
/// <see cref="DistinctIsEstimate"/>. <see cref="Numeric"/> is set for numeric columns, <see cref="Dates"/> for date
/// columns, <see cref="TopValues"/> (at most ten) for categorical, boolean and text columns; top-value counts are
/// lower bounds when <see cref="TopValuesAreApproximate"/>. <see cref="Suspicion"/> is set when the column looks like
/// personal data and should be reviewed by the DPO.
/// </summary>
public sealed record ColumnProfile(
    ColumnSchema Schema,
    long Count,
    long Missing,
    long Distinct,
    bool DistinctIsEstimate,
    NumericSummary? Numeric,
    DateRange? Dates,
    IReadOnlyList<ValueCount> TopValues,
    bool TopValuesAreApproximate,
    PersonalDataSuspicion? Suspicion)
{
    public string Name => Schema.Name;

    public ColumnType Type => Schema.Type;
}
