namespace Portal.Domain.Datasets;

/// <summary>
/// Limits and thresholds of <see cref="DatasetAnalyzer"/>. Every structure kept per column is bounded by these,
/// so memory depends on the number of columns, never on the number of rows.
/// </summary>
public sealed record DatasetAnalyzerOptions
{
    /// <summary>
    /// Widest file accepted. Each column keeps up to about a megabyte of sketches in the worst case, so this
    /// bounds the analyzer's memory; wider files are rejected with a <see cref="CsvFormatException"/>.
    /// </summary>
    public int MaxColumns { get; init; } = 2_000;

    /// <summary>Distinct values are counted exactly up to this many, then estimated (HyperLogLog).</summary>
    public int DistinctExactCap { get; init; } = 10_000;

    /// <summary>Numeric values kept for quantiles and the histogram; beyond it they are a uniform sample.</summary>
    public int NumericSampleSize { get; init; } = 10_000;

    /// <summary>Values per column handed to the personal-data detector.</summary>
    public int PersonalDataSampleSize { get; init; } = 200;

    /// <summary>Distinct values whose counts are tracked exactly; beyond it top values are approximate (Misra–Gries).</summary>
    public int TrackedValueCap { get; init; } = 1_000;

    /// <summary>Longer values are truncated in top values and samples.</summary>
    public int MaxValueLength { get; init; } = 200;

    public int TopValueCount { get; init; } = 10;

    public int HistogramBins { get; init; } = 20;

    /// <summary>A non-numeric column is categorical with at most this many distinct values (and values repeating on average at least twice)...</summary>
    public int CategoricalMaxDistinct { get; init; } = 50;

    /// <summary>...or when its distinct values are at most this share of its non-missing values.</summary>
    public double CategoricalMaxDistinctShare { get; init; } = 0.05;

    /// <summary>Seed of the reservoir samples: the same file always gives the same profile.</summary>
    public int Seed { get; init; } = 20_261_127;
}
