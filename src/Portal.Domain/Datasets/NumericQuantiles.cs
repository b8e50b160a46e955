namespace Portal.Domain.Datasets;

/// <summary>Percentiles of a numeric column (linear interpolation between order statistics, like numpy's default).</summary>
public sealed record NumericQuantiles(double P5, double P25, double P50, double P75, double P95);
