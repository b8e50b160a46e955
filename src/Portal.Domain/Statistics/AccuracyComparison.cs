namespace Portal.Domain.Statistics;

/// <summary>
/// The accuracy gate's evidence: the paired table, McNemar's test, the observed difference with its two-sided
/// interval, and the one-sided lower bound that decides whether the improvement reaches the margin.
/// </summary>
/// <param name="Margin">Required improvement, as a proportion (0.005 = half a point of accuracy).</param>
/// <param name="OneSidedLower">We are <see cref="Confidence"/> sure the improvement is at least this.</param>
public sealed record AccuracyComparison(
    PairedOutcomes Outcomes,
    McNemarResult Test,
    DifferenceInterval Interval,
    double OneSidedLower,
    double Margin,
    double Confidence)
{
    public double Difference => Outcomes.AccuracyDifference;

    /// <summary>The improvement reaches the margin at the confidence: the one-sided lower bound is at least the margin.</summary>
    public bool ReachesMargin => OneSidedLower >= Margin;

    public static AccuracyComparison Compare(PairedOutcomes outcomes, double margin, double confidence, int exactBelow = McNemar.DefaultExactBelow)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (!double.IsFinite(margin) || margin is <= -1 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin is a difference of accuracies, between −1 and 1 (0.005 = half a point).");
        }

        return new AccuracyComparison(
            outcomes,
            McNemar.Test(outcomes, exactBelow),
            PairedProportionInterval.TwoSided(outcomes, confidence),
            PairedProportionInterval.OneSidedLower(outcomes, confidence),
            margin,
            confidence);
    }
}
