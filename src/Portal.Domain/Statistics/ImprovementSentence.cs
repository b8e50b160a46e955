using Portal.Domain.Formatting;

namespace Portal.Domain.Statistics;

/// <summary>How a difference of a metric is said.</summary>
public enum DifferenceUnit
{
    /// <summary>A difference of proportions (accuracy, AUC) said in points: 0.021 is "2.1 points".</summary>
    Points,

    /// <summary>A difference in the metric's own units (RMSE, MAE): 0.31 is "0.31".</summary>
    MetricUnits,
}

/// <summary>
/// The quality gate's evidence in one or two sentences a manager can read: "The challenger is better by 2.1 points of
/// accuracy, and we are 95 % sure it is at least 0.4 points better." Numbers are written by <see cref="NumberText"/>.
/// </summary>
public static class ImprovementSentence
{
    /// <param name="metric">The metric's name as a reader says it ("accuracy", "AUC", "RMSE").</param>
    /// <param name="improvement">Observed improvement, positive when the challenger is better (lower error counts as better).</param>
    /// <param name="oneSidedLower">We are <paramref name="confidence"/> sure the improvement is at least this.</param>
    /// <param name="margin">The improvement the gate requires, in the same scale as <paramref name="improvement"/>; null to leave the verdict out.</param>
    public static string Describe(string metric, double improvement, double oneSidedLower, double confidence, DifferenceUnit unit, double? margin = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        PairedProportionInterval.ValidateConfidence(confidence);
        var sure = $"{NumberText.Format(confidence * 100)} %";
        var of = unit == DifferenceUnit.Points ? $"of {metric}" : $"in {metric}";

        var sentence = improvement switch
        {
            > 0 when oneSidedLower > 0 =>
                $"The challenger is better by {Amount(improvement, unit)} {of}, and we are {sure} sure it is at least {Amount(oneSidedLower, unit)} better.",
            > 0 => $"The challenger is better by {Amount(improvement, unit)} {of} on these rows, but we cannot be {sure} sure it is better at all.",
            0 => $"The challenger and the champion do equally well {(unit == DifferenceUnit.Points ? "on" : "in")} {metric} on these rows.",
            _ => $"The challenger is worse by {Amount(-improvement, unit)} {of} on these rows.",
        };

        if (margin is not { } required)
        {
            return sentence;
        }

        var verdict = oneSidedLower >= required ? "this gate passes" : "this gate fails";
        var requirement = required > 0
            ? $"The required improvement is {Amount(required, unit)}"
            : required == 0 ? "We must be that sure the challenger is at least as good" : $"The challenger may be at most {Amount(-required, unit)} worse";
        return $"{sentence} {requirement}, so {verdict}.";
    }

    /// <summary>The accuracy gate's sentence, with its margin.</summary>
    public static string Describe(AccuracyComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return Describe("accuracy", comparison.Difference, comparison.OneSidedLower, comparison.Confidence, DifferenceUnit.Points, comparison.Margin);
    }

    /// <summary>A bootstrap gate's sentence (AUC in points, errors in their units).</summary>
    public static string Describe(string metric, BootstrapInterval interval, DifferenceUnit unit, double? margin = null)
    {
        ArgumentNullException.ThrowIfNull(interval);
        return Describe(metric, interval.Observed, interval.OneSidedLower, interval.Confidence, unit, margin);
    }

    private static string Amount(double value, DifferenceUnit unit)
    {
        if (unit == DifferenceUnit.MetricUnits)
        {
            return NumberText.Format(value);
        }

        var points = NumberText.Format(value * 100);
        return points == "1" ? "1 point" : $"{points} points";
    }
}
