using Portal.Domain.Datasets;
using Portal.Domain.Statistics;

namespace Portal.Ml.Evaluation;

/// <summary>
/// How far a regression model's predictions are from the truth on the validation rows. A residual is actual minus
/// predicted (positive: the model predicted too low). Absolute errors: mean, median, 90th percentile and maximum;
/// residuals: mean (the model's bias), quantiles and a histogram of <see cref="HistogramBins"/> equal-width bins.
/// </summary>
public sealed record ResidualSummary(
    int Rows,
    double MeanAbsoluteError,
    double MedianAbsoluteError,
    double P90AbsoluteError,
    double MaxAbsoluteError,
    double MeanResidual,
    NumericQuantiles ResidualQuantiles,
    IReadOnlyList<HistogramBin> Histogram)
{
    public const int HistogramBins = 12;

    /// <summary>The summary of (actual, predicted) pairs; pairs with a non-finite value are left out; null when none is left.</summary>
    public static ResidualSummary? Of(IEnumerable<(double Actual, double Predicted)> rows)
    {
        var residuals = rows.Where(r => double.IsFinite(r.Actual) && double.IsFinite(r.Predicted)).Select(r => r.Actual - r.Predicted).Order().ToArray();
        if (residuals.Length == 0)
        {
            return null;
        }

        var absolute = residuals.Select(Math.Abs).Order().ToArray();
        var quantiles = new NumericQuantiles(
            Quantiles.Of(residuals, 0.05), Quantiles.Of(residuals, 0.25), Quantiles.Of(residuals, 0.50), Quantiles.Of(residuals, 0.75), Quantiles.Of(residuals, 0.95));
        return new ResidualSummary(residuals.Length, absolute.Average(), Quantiles.Of(absolute, 0.5), Quantiles.Of(absolute, 0.9), absolute[^1],
            residuals.Average(), quantiles, Bins(residuals));
    }

    private static List<HistogramBin> Bins(double[] sorted)
    {
        var (min, max) = (sorted[0], sorted[^1]);
        if (min == max)
        {
            return [new HistogramBin(min, max, sorted.Length)];
        }

        var width = (max - min) / HistogramBins;
        var counts = new long[HistogramBins];
        foreach (var value in sorted)
        {
            counts[Math.Clamp((int)((value - min) / width), 0, HistogramBins - 1)]++;
        }

        return [.. Enumerable.Range(0, HistogramBins).Select(i => new HistogramBin(min + (i * width), i == HistogramBins - 1 ? max : min + ((i + 1) * width), counts[i]))];
    }
}
