namespace Portal.Domain.Datasets;

/// <summary>
/// Statistics of a numeric column. Min, max, mean and the sample standard deviation (n − 1, Welford) are exact.
/// Quantiles and histogram come from a seeded reservoir sample; when <see cref="IsSampled"/> the column had more
/// values than the sample holds, quantiles are estimates and histogram counts are scaled up to the column's count.
/// </summary>
public sealed record NumericSummary(
    double Min,
    double Max,
    double Mean,
    double StandardDeviation,
    NumericQuantiles Quantiles,
    IReadOnlyList<HistogramBin> Histogram,
    bool IsSampled,
    int SampleSize);
