namespace Portal.Domain.Monitoring.Drift;

/// <summary>
/// One input feature's values over a set of rows, column-wise. Numeric: <see cref="Numbers"/> with NaN for a missing value
/// and <see cref="Categories"/> empty. Categorical: <see cref="Categories"/> with null for a missing value and
/// <see cref="Numbers"/> empty. Missing values take no part in drift (they are data quality).
/// </summary>
public sealed record FeatureColumn(string Name, FeatureKind Kind, double[] Numbers, string?[] Categories)
{
    /// <summary>Rows in the column, missing included.</summary>
    public int Rows => Kind == FeatureKind.Numeric ? Numbers.Length : Categories.Length;

    public static FeatureColumn Numeric(string name, double[] values) => new(name, FeatureKind.Numeric, values, []);

    public static FeatureColumn Categorical(string name, string?[] values) => new(name, FeatureKind.Categorical, [], values);
}
