namespace Portal.Domain.Datasets;

/// <summary>A histogram bar: values in [<see cref="Lower"/>, <see cref="Upper"/>) (the last bin includes its upper edge).</summary>
public sealed record HistogramBin(double Lower, double Upper, long Count);
